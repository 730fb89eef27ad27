//! The generated accessors allocate nothing: a counting global allocator
//! watches `code()`, `name()`, `message()`, `from_code()`, `from_name()` and
//! `Display` into a pre-sized buffer, over every entry of the 1,000-entry
//! synthetic catalog (emitted by `build.rs`), hits and misses alike; and the
//! message formatters of `tests/fixtures/params.yaml` (`ParamsArgs`) writing
//! every message with its arguments into a pre-sized buffer. `all()` allocates
//! its slice on its first call only.

// Implementing `GlobalAlloc` is unsafe by definition; this test is the only place that does.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::hint::black_box;

#[allow(dead_code)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/synthetic.rs"));
}

#[allow(dead_code, deprecated)]
mod params {
    include!(concat!(env!("OUT_DIR"), "/params.rs"));
}

use generated::Synthetic;

/// Counts the allocations of the current thread, then lets `System` do them.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: allocations during thread teardown are not ours to count.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to `System`; counting touches
// only a const-initialised thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: as above; `ptr` came from this allocator, which is `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns how many allocations (and reallocations) it made on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// Codes of every entry and, between and around them, codes of none.
fn codes() -> Vec<u32> {
    let mut codes: Vec<u32> = Synthetic::all().iter().map(|e| e.code()).collect();
    codes.extend([0, 1, 999, 1_000, 65_535, u32::MAX]);
    codes.extend(Synthetic::all().iter().map(|e| e.code() + 100_000));
    codes
}

/// Names of every entry, its aliases (deprecated spellings) and near misses.
fn names() -> Vec<String> {
    let mut names: Vec<String> = Synthetic::all()
        .iter()
        .map(|e| e.name().to_owned())
        .collect();
    names.extend(
        Synthetic::all()
            .iter()
            .map(|e| format!("LEGACY_{}", e.name())),
    );
    names.extend(Synthetic::all().iter().map(|e| e.name().to_lowercase()));
    names.extend(["", "X", "INVALID"].map(str::to_owned));
    names
}

#[test]
fn the_counter_sees_allocations() {
    // A positive control: if this fails, the zeros below prove nothing.
    let n = allocations(|| {
        black_box(Synthetic::all()[0].to_string());
    });
    assert!(n >= 1, "to_string() allocated {n} times");
}

#[test]
fn code_name_and_message_allocate_nothing() {
    // `all()` allocates its slice once, on its first call; the accessors never.
    let all = Synthetic::all();
    assert_eq!(
        allocations(|| {
            black_box(Synthetic::all());
        }),
        0
    );
    let n = allocations(|| {
        let mut total = 0usize;
        for &e in black_box(all) {
            total += black_box(e).code() as usize;
            total += black_box(e).name().len();
            total += black_box(e).message().len();
        }
        black_box(total);
    });
    assert_eq!(n, 0);
}

#[test]
fn from_code_allocates_nothing() {
    let codes = codes();
    let mut found = 0;
    let n = allocations(|| {
        for &code in &codes {
            if let Some(e) = Synthetic::from_code(black_box(code)) {
                black_box(e);
                found += 1;
            }
        }
    });
    assert_eq!(n, 0);
    assert_eq!(
        found,
        Synthetic::all().len(),
        "every code found, no miss matched"
    );
}

#[test]
fn from_name_allocates_nothing() {
    let names = names();
    let mut found = 0;
    let n = allocations(|| {
        for name in &names {
            if let Some(e) = Synthetic::from_name(black_box(name)) {
                black_box(e);
                found += 1;
            }
        }
    });
    assert_eq!(n, 0);
    let aliases = names
        .iter()
        .filter(|n| n.starts_with("LEGACY_") && Synthetic::from_name(n).is_some())
        .count();
    assert!(aliases > 0, "some aliases are looked up");
    assert_eq!(found, Synthetic::all().len() + aliases);
}

#[test]
fn display_into_a_presized_buffer_allocates_nothing() {
    let longest = Synthetic::all()
        .iter()
        .map(|e| e.message().len())
        .max()
        .unwrap_or(0);
    let mut buf = String::with_capacity(longest);
    let capacity = buf.capacity();
    let n = allocations(|| {
        for &e in Synthetic::all() {
            buf.clear();
            write!(buf, "{}", black_box(e)).expect("writing to a String cannot fail");
            black_box(&buf);
        }
    });
    assert_eq!(n, 0);
    assert_eq!(buf.capacity(), capacity);
    let last = Synthetic::all()[Synthetic::all().len() - 1];
    assert_eq!(buf, last.message());
}

/// One value of every argument of every parameterised entry of the fixture,
/// strings borrowed from a buffer made before counting starts.
#[allow(deprecated)]
fn args(text: &str) -> Vec<params::ParamsArgs<'_>> {
    use params::ParamsArgs as A;
    let wait = std::time::Duration::from_millis(90_000);
    vec![
        A::CameraBusy {
            device: text,
            app_name: text,
        },
        A::StreamStalled {
            wait,
            frames: -9_007_199_254_740_991,
            live: true,
        },
        A::LiteralText { label: text },
        A::OnlyParam { reason: text },
        A::Counted {
            count: i64::MAX,
            total: i64::MIN,
            is_default: false,
        },
    ]
}

#[test]
fn message_formatters_allocate_nothing() {
    let text = "a borrowed argument: ${x} {y} \\(z)".repeat(4);
    let args = args(&text);
    // A positive control on the same values.
    let n = allocations(|| {
        black_box(args[0].to_string());
    });
    assert!(n >= 1, "to_string() allocated {n} times");
    let mut buf = String::with_capacity(4096);
    let capacity = buf.capacity();
    let mut written = 0;
    let n = allocations(|| {
        for a in black_box(&args) {
            buf.clear();
            write!(buf, "{a}").expect("writing to a String cannot fail");
            written += black_box(&buf).len();
        }
    });
    assert_eq!(n, 0);
    assert_eq!(buf.capacity(), capacity);
    assert!(written > 5 * text.len(), "every message was written");
    assert_eq!(
        buf,
        format!(
            "{} of {} attempts failed, {} so far; default? false",
            i64::MAX,
            i64::MIN,
            i64::MAX
        )
    );
}
