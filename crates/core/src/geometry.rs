//! Polygons and regions in normalized frame coordinates.
//!
//! A [`Polygon`] lives in *normalized* coordinates: `(0, 0)` is the top-left
//! corner of the frame and `(1, 1)` its bottom-right corner, so a zone drawn
//! once survives a change of resolution. Pixel `(i, j)` of a `W×H` frame is
//! the square `[i, i+1] × [j, j+1]` of pixel space, which is normalized space
//! scaled by `(W, H)`.
//!
//! Polygons are validated once, when built: at least three distinct
//! vertices, finite coordinates within [`COORD_MIN`]`..=`[`COORD_MAX`], no
//! more than [`MAX_VERTICES`], not all on one line, and not wholly outside
//! the frame. Rings may be open or explicitly closed (a last vertex equal to
//! the first is dropped). Concave and self-intersecting outlines are filled
//! with the nonzero winding rule.
//!
//! A [`Region`] is a union of polygons: what one zone of a site covers.

use crate::error::{Error, Result};

/// The most vertices one polygon may have.
pub const MAX_VERTICES: usize = 10_000;
/// The smallest accepted normalized coordinate (a frame's width left of it).
pub const COORD_MIN: f64 = -1.0;
/// The largest accepted normalized coordinate (a frame's width right of it).
pub const COORD_MAX: f64 = 2.0;

/// A point in normalized frame coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Horizontal position, 0 at the left edge, 1 at the right edge.
    pub x: f64,
    /// Vertical position, 0 at the top edge, 1 at the bottom edge.
    pub y: f64,
}

impl Point {
    /// A point at `(x, y)`.
    #[must_use]
    pub const fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

/// A validated polygon in normalized coordinates (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    points: Vec<Point>,
}

impl Polygon {
    /// A polygon from vertices in normalized coordinates.
    ///
    /// # Errors
    /// [`Error::NonFinite`], [`Error::FarOutside`], [`Error::TooManyVertices`],
    /// [`Error::TooFewVertices`], [`Error::ZeroArea`] or
    /// [`Error::OutsideFrame`], naming the offending vertex where there is one.
    pub fn normalized<I>(points: I) -> Result<Self>
    where
        I: IntoIterator<Item = [f64; 2]>,
    {
        let points: Vec<Point> = points.into_iter().map(|[x, y]| Point { x, y }).collect();
        Self::validate(points)
    }

    /// A polygon from vertices in pixels of a `reference` frame size
    /// (`[width, height]`), converted to normalized coordinates.
    ///
    /// # Errors
    /// [`Error::ZeroReference`] for a zero-sized reference, then as
    /// [`Polygon::normalized`].
    pub fn from_pixels<I>(points: I, reference: [u32; 2]) -> Result<Self>
    where
        I: IntoIterator<Item = [f64; 2]>,
    {
        let [width, height] = reference;
        if width == 0 || height == 0 {
            return Err(Error::ZeroReference { width, height });
        }
        let (w, h) = (f64::from(width), f64::from(height));
        Self::normalized(points.into_iter().map(|[x, y]| [x / w, y / h]))
    }

    /// The vertices, in normalized coordinates, as an open ring (the first
    /// vertex is not repeated at the end).
    #[must_use]
    pub fn points(&self) -> &[Point] {
        &self.points
    }

    /// The vertices scaled to pixel space of a `width × height` frame.
    pub fn to_pixels(&self, width: u32, height: u32) -> impl Iterator<Item = Point> + '_ {
        let (w, h) = (f64::from(width), f64::from(height));
        self.points
            .iter()
            .map(move |p| Point::new(p.x * w, p.y * h))
    }

    /// The smallest axis-aligned box holding the polygon:
    /// `(min_x, min_y, max_x, max_y)` in normalized coordinates.
    #[must_use]
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        self.points.iter().fold(
            (
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ),
            |(x0, y0, x1, y1), p| (x0.min(p.x), y0.min(p.y), x1.max(p.x), y1.max(p.y)),
        )
    }

    fn validate(mut points: Vec<Point>) -> Result<Self> {
        if points.len() > MAX_VERTICES {
            return Err(Error::TooManyVertices {
                count: points.len(),
                max: MAX_VERTICES,
            });
        }
        for (index, p) in points.iter().enumerate() {
            if !p.x.is_finite() || !p.y.is_finite() {
                return Err(Error::NonFinite {
                    index,
                    x: p.x,
                    y: p.y,
                });
            }
            let inside = |v: f64| (COORD_MIN..=COORD_MAX).contains(&v);
            if !inside(p.x) || !inside(p.y) {
                return Err(Error::FarOutside {
                    index,
                    x: p.x,
                    y: p.y,
                    min: COORD_MIN,
                    max: COORD_MAX,
                });
            }
        }
        // Drop consecutive repeats, then an explicit closing vertex.
        points.dedup();
        while points.len() > 1 && points.first() == points.last() {
            points.pop();
        }
        let distinct = {
            let mut sorted: Vec<(u64, u64)> = points
                .iter()
                .map(|p| (p.x.to_bits(), p.y.to_bits()))
                .collect();
            sorted.sort_unstable();
            sorted.dedup();
            sorted.len()
        };
        if distinct < 3 {
            return Err(Error::TooFewVertices { distinct });
        }
        if all_collinear(&points) {
            return Err(Error::ZeroArea);
        }
        let polygon = Self { points };
        let (x0, y0, x1, y1) = polygon.bounds();
        if x1 <= 0.0 || y1 <= 0.0 || x0 >= 1.0 || y0 >= 1.0 {
            return Err(Error::OutsideFrame);
        }
        Ok(polygon)
    }
}

/// Whether every vertex lies on the line through the two vertices farthest
/// apart (within a tolerance far below a pixel of any real frame).
fn all_collinear(points: &[Point]) -> bool {
    let Some(&a) = points.first() else {
        return true;
    };
    // The vertex farthest from `a` spans the longest baseline we can find cheaply.
    let b = points.iter().copied().fold(a, |best, p| {
        let d = |q: Point| (q.x - a.x).powi(2) + (q.y - a.y).powi(2);
        if d(p) > d(best) {
            p
        } else {
            best
        }
    });
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt();
    if len == 0.0 {
        return true;
    }
    // Distance of every vertex from the baseline; 1e-9 of a frame side is
    // about 1/100000 of a pixel at 8K.
    points
        .iter()
        .all(|p| ((p.x - a.x) * dy - (p.y - a.y) * dx).abs() / len < 1e-9)
}

/// A union of polygons: the area one zone covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    polygons: Vec<Polygon>,
}

impl Region {
    /// A region covering the union of `polygons`.
    ///
    /// # Errors
    /// [`Error::EmptyRegion`] when `polygons` is empty.
    pub fn new(polygons: Vec<Polygon>) -> Result<Self> {
        if polygons.is_empty() {
            return Err(Error::EmptyRegion);
        }
        Ok(Self { polygons })
    }

    /// A region of one polygon.
    #[must_use]
    pub fn single(polygon: Polygon) -> Self {
        Self {
            polygons: vec![polygon],
        }
    }

    /// A region covering the whole frame.
    #[must_use]
    pub fn whole_frame() -> Self {
        let corners = [
            Point::new(0.0, 0.0),
            Point::new(1.0, 0.0),
            Point::new(1.0, 1.0),
            Point::new(0.0, 1.0),
        ];
        Self {
            polygons: vec![Polygon {
                points: corners.to_vec(),
            }],
        }
    }

    /// The polygons whose union this region is.
    #[must_use]
    pub fn polygons(&self) -> &[Polygon] {
        &self.polygons
    }
}

impl From<Polygon> for Region {
    fn from(polygon: Polygon) -> Self {
        Self::single(polygon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Vec<[f64; 2]> {
        vec![[0.1, 0.1], [0.5, 0.1], [0.5, 0.5], [0.1, 0.5]]
    }

    #[test]
    fn open_and_closed_rings_are_the_same_polygon() {
        let open = Polygon::normalized(square()).unwrap();
        let mut closed_pts = square();
        closed_pts.push([0.1, 0.1]);
        let closed = Polygon::normalized(closed_pts).unwrap();
        assert_eq!(open, closed);
        assert_eq!(open.points().len(), 4);
    }

    #[test]
    fn too_few_distinct_vertices() {
        let err = Polygon::normalized([[0.1, 0.1], [0.2, 0.2], [0.1, 0.1]]).unwrap_err();
        assert_eq!(err, Error::TooFewVertices { distinct: 2 });
        let err = Polygon::normalized([[0.1, 0.1], [0.2, 0.2]]).unwrap_err();
        assert_eq!(err, Error::TooFewVertices { distinct: 2 });
        let err =
            Polygon::normalized([[0.1, 0.1], [0.2, 0.2], [0.1, 0.1], [0.2, 0.2]]).unwrap_err();
        assert_eq!(err, Error::TooFewVertices { distinct: 2 });
    }

    #[test]
    fn non_finite_names_the_vertex() {
        let err = Polygon::normalized([[0.1, 0.1], [f64::NAN, 0.1], [0.5, 0.5]]).unwrap_err();
        assert!(matches!(err, Error::NonFinite { index: 1, .. }), "{err:?}");
        let err = Polygon::normalized([[0.1, 0.1], [0.3, 0.1], [0.5, f64::INFINITY]]).unwrap_err();
        assert!(matches!(err, Error::NonFinite { index: 2, .. }), "{err:?}");
    }

    #[test]
    fn far_outside_names_the_vertex() {
        let err = Polygon::normalized([[0.1, 0.1], [0.3, 0.1], [0.5, 7.0]]).unwrap_err();
        assert!(matches!(err, Error::FarOutside { index: 2, .. }), "{err:?}");
    }

    #[test]
    fn partly_outside_is_accepted_wholly_outside_is_not() {
        assert!(Polygon::normalized([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5]]).is_ok());
        let err = Polygon::normalized([[1.1, 0.1], [1.5, 0.1], [1.5, 0.5]]).unwrap_err();
        assert_eq!(err, Error::OutsideFrame);
        // Touching the frame's edge from outside covers no pixel.
        let err = Polygon::normalized([[1.0, 0.1], [1.5, 0.1], [1.5, 0.5]]).unwrap_err();
        assert_eq!(err, Error::OutsideFrame);
    }

    #[test]
    fn collinear_is_zero_area() {
        let err =
            Polygon::normalized([[0.1, 0.1], [0.2, 0.2], [0.3, 0.3], [0.4, 0.4]]).unwrap_err();
        assert_eq!(err, Error::ZeroArea);
    }

    #[test]
    fn a_bowtie_is_not_zero_area() {
        // Signed area zero, but it encloses two triangles.
        assert!(Polygon::normalized([[0.1, 0.1], [0.5, 0.5], [0.5, 0.1], [0.1, 0.5]]).is_ok());
    }

    #[test]
    fn too_many_vertices() {
        let many = (0..=MAX_VERTICES).map(|i| {
            let t = i as f64 / MAX_VERTICES as f64 * std::f64::consts::TAU;
            [0.5 + 0.4 * t.cos(), 0.5 + 0.4 * t.sin()]
        });
        let err = Polygon::normalized(many).unwrap_err();
        assert_eq!(
            err,
            Error::TooManyVertices {
                count: MAX_VERTICES + 1,
                max: MAX_VERTICES
            }
        );
    }

    #[test]
    fn pixels_are_normalized_by_the_reference() {
        let p = Polygon::from_pixels(
            [[192.0, 108.0], [960.0, 108.0], [960.0, 540.0]],
            [1920, 1080],
        )
        .unwrap();
        assert_eq!(p.points()[0], Point::new(0.1, 0.1));
        assert_eq!(p.points()[2], Point::new(0.5, 0.5));
        let err =
            Polygon::from_pixels([[1.0, 1.0], [2.0, 1.0], [2.0, 2.0]], [0, 1080]).unwrap_err();
        assert_eq!(
            err,
            Error::ZeroReference {
                width: 0,
                height: 1080
            }
        );
    }

    #[test]
    fn empty_region_is_an_error() {
        assert_eq!(Region::new(vec![]).unwrap_err(), Error::EmptyRegion);
    }

    mod never_panics {
        use super::*;
        use crate::raster::{rasterize_polygon, Coverage};
        use proptest::prelude::*;

        /// Coordinates from a small pool (so repeats and collinear runs are
        /// common) mixed with any f64 at all, NaN and infinities included.
        fn coordinate() -> impl Strategy<Value = f64> {
            prop_oneof![
                prop::sample::select(vec![
                    0.0,
                    -0.0,
                    0.5,
                    1.0,
                    -1.0,
                    2.0,
                    2.0000001,
                    -1.0000001,
                    f64::NAN,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::MIN_POSITIVE,
                    1e300,
                ]),
                -1.5f64..2.5,
                any::<f64>(),
            ]
        }

        fn check(points: Vec<(f64, f64)>) -> Result<(), TestCaseError> {
            let given = points.len();
            match Polygon::normalized(points.into_iter().map(|(x, y)| [x, y])) {
                Ok(p) => {
                    prop_assert!(p.points().len() >= 3 && p.points().len() <= given);
                    let in_range = |v: f64| (COORD_MIN..=COORD_MAX).contains(&v);
                    let all_in_range = p.points().iter().all(|q| in_range(q.x) && in_range(q.y));
                    prop_assert!(all_in_range);
                    for (w, h) in [(1, 1), (3, 2), (17, 1)] {
                        prop_assert!(rasterize_polygon(&p, w, h, Coverage::Conservative).is_ok());
                        prop_assert!(rasterize_polygon(&p, w, h, Coverage::Inner).is_ok());
                    }
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
            #[test]
            fn normalized_never_panics_on_short_input(
                points in prop::collection::vec((coordinate(), coordinate()), 0..12)
            ) {
                check(points)?;
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]
            #[test]
            fn normalized_never_panics_on_long_input(
                points in prop::collection::vec((coordinate(), coordinate()), 0..3000)
            ) {
                check(points)?;
            }

            #[test]
            fn normalized_never_panics_on_long_finite_input(
                points in prop::collection::vec((-1.0f64..=2.0, -1.0f64..=2.0), 0..3000)
            ) {
                check(points)?;
            }
        }
    }
}
