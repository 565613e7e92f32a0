//! In steady state a `CameraMasker` frame allocates nothing and rasterizes
//! nothing: an allocator that counts this thread's allocations proves it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use sladd_core::{Frame, PixelFormat, Style};
use sladd_policy::{CameraMasker, Policy};

/// The system allocator, counting the allocations of each thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter is a thread-local `Cell` with a const initializer, which neither
// allocates nor registers a destructor.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn steady_state_frames_allocate_and_rasterize_nothing() {
    let policy = Policy::from_toml_str(
        r#"
        [site]
        name = "Kiosken"
        timezone = "Europe/Oslo"
        opening_hours = ["mon-fri 07:00-23:00"]

        [[cameras]]
        id = "disk"
        purposes = [{ purpose = "theft" }]

        [[cameras.zones]]
        name = "Bak disken"
        area = "restricted_circle"
        polygon = [[0.1, 0.2], [0.6, 0.25], [0.55, 0.9], [0.05, 0.8]]
        "#,
    )
    .unwrap();
    let noon: jiff::Timestamp = "2026-11-24T12:00:00+01:00".parse().unwrap();
    for style in ["fill", "pixelate:16", "blur:12"] {
        let mut masker =
            CameraMasker::new(&policy, "disk", PixelFormat::Yuv420p, 1280, 720).unwrap();
        masker.set_style(style.parse::<Style>().unwrap());
        let mut frame = Frame::new(PixelFormat::Yuv420p, 1280, 720).unwrap();
        // The first frame builds the masks and the kernels' scratch memory.
        masker.apply(&mut frame.as_frame_mut(), Some(noon)).unwrap();
        let (built, before) = (masker.generation(), allocations());
        for i in 1..=50 {
            let instant = noon + jiff::SignedDuration::from_millis(40 * i);
            let decision = masker
                .apply(&mut frame.as_frame_mut(), Some(instant))
                .unwrap();
            assert!(!decision.full_frame);
        }
        assert_eq!(
            allocations() - before,
            0,
            "{style}: 50 steady-state frames allocated"
        );
        assert_eq!(masker.generation(), built, "{style}: masks rebuilt");
        assert_eq!(masker.spans().len(), 1);
        assert_eq!(masker.spans()[0].last_frame, 50);
    }
}

#[test]
fn the_counter_sees_allocations() {
    // The proof above is only as good as the counter.
    let before = allocations();
    let v = std::hint::black_box(vec![1u8; 64]);
    assert!(allocations() > before);
    drop(v);
}
