//! Zero-copy views of `ndarray` arrays and `image` buffers as frames.
//!
//! Nothing is copied: the frame borrows the array's or image's memory.
//! ndarray views must be in standard (row-major, contiguous) layout; a
//! padded plane is passed as the whole `rows × stride` array with the
//! visible width stated separately.

#[cfg(feature = "ndarray")]
mod with_ndarray {
    use ndarray::{ArrayViewMut2, ArrayViewMut3};

    use crate::error::{Error, Result};
    use crate::frame::{FrameMut, PixelFormat, PlaneMut, Sample};

    /// The contiguous memory of a standard-layout view, or an error naming
    /// the plane.
    fn contiguous<'a, T, D: ndarray::Dimension>(
        view: ndarray::ArrayViewMut<'a, T, D>,
        plane: usize,
    ) -> Result<&'a mut [T]> {
        view.into_slice().ok_or(Error::NotContiguous { plane })
    }

    impl<'a, T: Sample> PlaneMut<'a, T> {
        /// A plane over a `rows × stride` array (samples, row-major) whose
        /// rows hold `width` visible pixels of `channels` samples each; the
        /// rest of each row is padding and is never touched.
        ///
        /// # Errors
        /// [`Error::NotContiguous`] for a view that is not in standard
        /// layout, else as [`PlaneMut::new`].
        pub fn from_ndarray(
            view: ArrayViewMut2<'a, T>,
            width: usize,
            channels: usize,
        ) -> Result<Self> {
            let (rows, stride) = view.dim();
            let data = contiguous(view, 0)?;
            PlaneMut::new(data, width, rows, channels, stride)
        }

        /// A plane over a `rows × width × channels` array (row-major, no
        /// padding), e.g. an RGB image.
        ///
        /// # Errors
        /// As [`PlaneMut::from_ndarray`].
        pub fn from_ndarray3(view: ArrayViewMut3<'a, T>) -> Result<Self> {
            let (rows, width, channels) = view.dim();
            let data = contiguous(view, 0)?;
            PlaneMut::new(data, width, rows, channels, width * channels)
        }
    }

    impl<'a> FrameMut<'a> {
        /// A frame over 8-bit planes given as `rows × stride` arrays in the
        /// format's plane order (row-major, padding allowed at each row's
        /// end).
        ///
        /// # Errors
        /// [`Error::NotContiguous`] naming the plane, else as
        /// [`FrameMut::from_planes`].
        pub fn from_ndarray<I>(
            format: PixelFormat,
            width: u32,
            height: u32,
            planes: I,
        ) -> Result<Self>
        where
            I: IntoIterator<Item = ArrayViewMut2<'a, u8>>,
        {
            let mut out: Vec<(&'a mut [u8], usize)> = Vec::with_capacity(3);
            for (index, view) in planes.into_iter().enumerate() {
                let stride = view.ncols();
                out.push((contiguous(view, index)?, stride));
            }
            Self::from_planes(format, width, height, out)
        }

        /// A packed frame (`rgb24`, `bgr24`, `rgba`, `bgra` or `gray`) over a
        /// `height × width × channels` array.
        ///
        /// # Errors
        /// [`Error::PlaneCount`] for a format with more than one plane,
        /// [`Error::NotContiguous`], else as [`FrameMut::from_planes`].
        pub fn from_ndarray3(format: PixelFormat, view: ArrayViewMut3<'a, u8>) -> Result<Self> {
            if format.plane_count() != 1 {
                return Err(Error::PlaneCount {
                    format,
                    expected: format.plane_count(),
                    given: 1,
                });
            }
            let (rows, width, channels) = view.dim();
            let (w, h) = (dim(width)?, dim(rows)?);
            let data = contiguous(view, 0)?;
            Self::from_planes(format, w, h, [(data, width * channels)])
        }
    }

    fn dim(n: usize) -> Result<u32> {
        u32::try_from(n).map_err(|_| Error::BadFrameSize {
            width: u32::MAX,
            height: u32::MAX,
            max: crate::frame::MAX_SIDE,
        })
    }
}

#[cfg(feature = "image")]
mod with_image {
    use image::{GrayImage, RgbImage, RgbaImage};

    use crate::error::Result;
    use crate::frame::{FrameMut, PixelFormat};

    impl<'a> FrameMut<'a> {
        /// An `rgb24` frame over an `image` RGB buffer.
        ///
        /// # Errors
        /// [`crate::Error::BadFrameSize`] for an empty image.
        pub fn from_rgb_image(image: &'a mut RgbImage) -> Result<Self> {
            let (w, h) = image.dimensions();
            Self::from_planes(PixelFormat::Rgb24, w, h, [(&mut **image, w as usize * 3)])
        }

        /// An `rgba` frame over an `image` RGBA buffer (alpha is never
        /// written).
        ///
        /// # Errors
        /// As [`FrameMut::from_rgb_image`].
        pub fn from_rgba_image(image: &'a mut RgbaImage) -> Result<Self> {
            let (w, h) = image.dimensions();
            Self::from_planes(PixelFormat::Rgba, w, h, [(&mut **image, w as usize * 4)])
        }

        /// A `gray` frame over an `image` luma buffer (full range: an
        /// image's gray levels are not video levels).
        ///
        /// # Errors
        /// As [`FrameMut::from_rgb_image`].
        pub fn from_gray_image(image: &'a mut GrayImage) -> Result<Self> {
            let (w, h) = image.dimensions();
            Ok(
                Self::from_planes(PixelFormat::Gray8, w, h, [(&mut **image, w as usize)])?
                    .with_range(crate::frame::ColorRange::Full),
            )
        }
    }

    impl<'a> TryFrom<&'a mut RgbImage> for FrameMut<'a> {
        type Error = crate::Error;
        fn try_from(image: &'a mut RgbImage) -> Result<Self> {
            Self::from_rgb_image(image)
        }
    }

    impl<'a> TryFrom<&'a mut RgbaImage> for FrameMut<'a> {
        type Error = crate::Error;
        fn try_from(image: &'a mut RgbaImage) -> Result<Self> {
            Self::from_rgba_image(image)
        }
    }

    impl<'a> TryFrom<&'a mut GrayImage> for FrameMut<'a> {
        type Error = crate::Error;
        fn try_from(image: &'a mut GrayImage) -> Result<Self> {
            Self::from_gray_image(image)
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "ndarray")]
    #[test]
    fn ndarray_views_are_zero_copy() {
        use crate::frame::{FrameMut, PixelFormat, Planes};
        let mut y = ndarray::Array2::<u8>::zeros((4, 8));
        let mut u = ndarray::Array2::<u8>::zeros((2, 4));
        let mut v = ndarray::Array2::<u8>::zeros((2, 4));
        let ptr = y.as_ptr();
        let mut frame = FrameMut::from_ndarray(
            PixelFormat::Yuv420p,
            6,
            4,
            [y.view_mut(), u.view_mut(), v.view_mut()],
        )
        .unwrap();
        match frame.planes_mut() {
            Planes::U8([Some(p), ..]) => {
                assert_eq!((p.width(), p.stride()), (6, 8));
                assert_eq!(p.as_mut_slice().as_ptr(), ptr);
            }
            _ => panic!("expected 8-bit planes"),
        }
        // A transposed view is not contiguous.
        let t = y.view_mut().reversed_axes();
        assert!(crate::PlaneMut::from_ndarray(t, 4, 1).is_err());
        let mut rgb = ndarray::Array3::<u8>::zeros((3, 5, 3));
        let f = FrameMut::from_ndarray3(PixelFormat::Rgb24, rgb.view_mut()).unwrap();
        assert_eq!((f.width(), f.height()), (5, 3));
    }

    #[cfg(feature = "image")]
    #[test]
    fn image_buffers_are_zero_copy() {
        use crate::frame::{FrameMut, PixelFormat, Planes};
        let mut img = image::RgbImage::new(7, 3);
        let ptr = img.as_ptr();
        let mut f = FrameMut::try_from(&mut img).unwrap();
        assert_eq!(f.format(), PixelFormat::Rgb24);
        match f.planes_mut() {
            Planes::U8([Some(p), ..]) => assert_eq!(p.as_mut_slice().as_ptr(), ptr),
            _ => panic!("expected one 8-bit plane"),
        }
        let mut gray = image::GrayImage::new(2, 2);
        assert_eq!(
            FrameMut::from_gray_image(&mut gray).unwrap().format(),
            PixelFormat::Gray8
        );
    }
}
