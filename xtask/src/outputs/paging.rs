//! `kibana-gen/src/generated/paging.rs` (`kibana_gen::paging`): the stream behind `.stream()` on the calls of
//! operations that page by page number (`postprocess::paging` finds them and gives their answers `Page`).
//!
//! The module is hand-written, here, and written by the regen into every generated crate (the 8.x test crate
//! too), like `kibana_gen::query`: the generated calls name it as `crate::paging`.

/// The module.
pub fn render() -> String {
    format!("{}\n{}", super::GENERATED_HEADER, MODULE)
}

const MODULE: &str = r#"//! Every item of every page, as one stream.
//!
//! The call of an operation that pages by page number (a `page` and a page-size query parameter, an answer holding
//! its items in a list) has `.stream()` on [`Api`](crate::api::Api): `REGEN_REPORT.md` lists them ("Paged calls").
//! The stream sends the page the call names (else the operation's first page) with the page size the call names
//! (else 100, or the document's maximum when lower), yields each item, and asks for the next page, sending every
//! other parameter of the call again, until a page comes back with fewer items than the page size (or none), the
//! pages so far hold the answer's `total`, or the page is the last one the document allows. An error is yielded
//! once and ends the stream.
//!
//! Kibana's finds that read Elasticsearch by `from`/`size` refuse pages beyond its result window (`page * perPage`
//! above 10 000 by default): the stream then yields that error.
//!
//! The call of an operation that pages by cursor (its answer names where the next page starts: Fleet's
//! `nextSearchAfter`, the lists' `cursor`) has a cursor stream, [`cursor_stream`], which reaches past that window:
//! `.stream_by_cursor()` where the operation pages by number too, else `.stream()`.
//!
//! [`stream`] and [`Page`] serve other answers too, e.g. one the document does not describe:
//!
//! ```
//! use futures::TryStreamExt;
//! use kibana_gen::paging::{self, Page, Pages};
//!
//! /// An answer as Kibana's finds send it.
//! struct Found {
//!     items: Vec<u64>,
//!     total: u64,
//! }
//!
//! impl Page for Found {
//!     type Item = u64;
//!     fn into_items(self) -> Vec<u64> {
//!         self.items
//!     }
//!     fn total(&self) -> Option<u64> {
//!         Some(self.total)
//!     }
//! }
//!
//! // 25 items, 10 a page: pages 1, 2 and 3 are asked for.
//! let asked = std::sync::Mutex::new(Vec::new());
//! let items: Vec<u64> = futures::executor::block_on(
//!     paging::stream(Pages::<i64, i64>::new(1, 10), |page, per_page| {
//!         asked.lock().unwrap().push(page);
//!         async move {
//!             let (first, size) = ((page as u64 - 1) * per_page as u64, per_page as u64);
//!             let items = (first..(first + size).min(25)).collect();
//!             Ok::<_, std::convert::Infallible>(Found { items, total: 25 })
//!         }
//!     })
//!     .try_collect(),
//! )
//! .unwrap();
//! assert_eq!(items, (0..25).collect::<Vec<_>>());
//! assert_eq!(*asked.lock().unwrap(), [1, 2, 3]);
//! ```
#![warn(clippy::all, missing_docs)]

use std::{future::Future, num::NonZero};

use futures::{StreamExt, TryStreamExt, stream::BoxStream};

/// One page of an answer: its items, and how many items all pages hold together when the answer says.
///
/// The regen implements it for the answer of every operation with `.stream()`; an item list the answer leaves out
/// is an empty page.
///
/// ```
/// use kibana_gen::paging::Page;
///
/// struct Found {
///     saved_objects: Option<Vec<String>>,
/// }
///
/// impl Page for Found {
///     type Item = String;
///     fn into_items(self) -> Vec<String> {
///         self.saved_objects.unwrap_or_default()
///     }
/// }
///
/// assert!(Found { saved_objects: None }.into_items().is_empty());
/// assert_eq!(Found { saved_objects: None }.total(), None);
/// ```
pub trait Page {
    /// One item.
    type Item;

    /// The items of this page.
    fn into_items(self) -> Vec<Self::Item>;

    /// How many items all pages hold together, when the answer says (its `total`).
    fn total(&self) -> Option<u64> {
        None
    }
}

/// The stream of [`stream`]: every item of every page of `P`, or the error that ended it.
pub type PageStream<'a, P, E> = BoxStream<'a, Result<<P as Page>::Item, E>>;

/// A page number or a page size as an operation's query types it (`i64`, `u64`, `NonZeroU64`...).
pub trait PageNumber: Copy {
    /// The number, when it is not negative.
    fn to_u64(self) -> Option<u64>;

    /// `n` in this type, when it fits.
    fn from_u64(n: u64) -> Option<Self>;
}

macro_rules! page_numbers {
    ($($t:ty),*) => {$(
        impl PageNumber for $t {
            fn to_u64(self) -> Option<u64> {
                u64::try_from(self).ok()
            }
            fn from_u64(n: u64) -> Option<Self> {
                Self::try_from(n).ok()
            }
        }
        impl PageNumber for NonZero<$t> {
            fn to_u64(self) -> Option<u64> {
                u64::try_from(self.get()).ok()
            }
            fn from_u64(n: u64) -> Option<Self> {
                Self::new(<$t>::try_from(n).ok()?)
            }
        }
        impl Count for $t {
            fn count(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
        impl Count for NonZero<$t> {
            fn count(&self) -> Option<u64> {
                u64::try_from(self.get()).ok()
            }
        }
    )*};
}

page_numbers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// A `total` as an answer types it, as a count (generated [`Page`] impls read it so).
#[doc(hidden)]
pub trait Count {
    /// The count, when it is a whole number that is not negative.
    fn count(&self) -> Option<u64>;
}

impl Count for f64 {
    fn count(&self) -> Option<u64> {
        // A whole, non-negative count below 2^64; a `total` of `12.0` is 12.
        (self.is_finite() && *self >= 0.0 && self.fract() == 0.0 && *self < 18_446_744_073_709_551_616.0)
            .then_some(*self as u64)
    }
}

impl Count for f32 {
    fn count(&self) -> Option<u64> {
        f64::from(*self).count()
    }
}

impl<T: Count> Count for Option<T> {
    fn count(&self) -> Option<u64> {
        self.as_ref().and_then(Count::count)
    }
}

/// Which pages [`stream`] asks for: from the page the caller set (else the operation's first), of the size the
/// caller set (else the default), up to the last page the operation allows.
#[derive(Clone, Copy, Debug)]
#[must_use]
pub struct Pages<N, S> {
    first: u64,
    default_size: u64,
    last: Option<u64>,
    start: Option<N>,
    size: Option<S>,
}

impl<N: PageNumber, S: PageNumber> Pages<N, S> {
    /// Pages numbered from `first_page` (`1`, or `0` for the operations that count from zero), `default_size`
    /// items each unless [`size`](Self::size) says otherwise.
    pub fn new(first_page: u64, default_size: u64) -> Self {
        Self {
            first: first_page,
            default_size,
            last: None,
            start: None,
            size: None,
        }
    }

    /// The last page the operation allows (the document's `maximum` of its page parameter).
    pub fn last_page(mut self, page: u64) -> Self {
        self.last = Some(page);
        self
    }

    /// The page to ask for first, when the caller set one.
    pub fn start(mut self, page: Option<N>) -> Self {
        self.start = page;
        self
    }

    /// The page size, when the caller set one.
    pub fn size(mut self, size: Option<S>) -> Self {
        self.size = size;
        self
    }
}

/// Where a stream is: the page to ask for next (none: done).
struct State<N, S, F> {
    fetch: F,
    next: Option<N>,
    size: S,
    first: u64,
    last: Option<u64>,
}

impl<N: PageNumber, S: PageNumber, F> State<N, S, F> {
    /// The page after `page`, which held `count` items, or none when `page` was the last.
    fn after(&self, page: N, count: usize, total: Option<u64>) -> Option<N> {
        let (page, size) = (page.to_u64()?, self.size.to_u64()?);
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        if count == 0 || count < size || self.last.is_some_and(|last| page >= last) {
            return None;
        }
        let through = (page.saturating_sub(self.first).saturating_add(1)).saturating_mul(size);
        if total.is_some_and(|total| through >= total) {
            return None;
        }
        N::from_u64(page.checked_add(1)?)
    }
}

/// Every item of every page: asks `fetch` for each page in turn (its number and size, in the types of the
/// operation's query) and yields the page's items, until a page holds fewer items than the page size (or none),
/// the pages so far hold the answer's [`total`](Page::total), or `pages` says it was the last; an error is yielded
/// and ends the stream. The module's documentation has an example.
#[must_use = "a stream asks for nothing until it is polled"]
pub fn stream<'a, P, N, S, E, F, Fut>(pages: Pages<N, S>, fetch: F) -> PageStream<'a, P, E>
where
    P: Page + 'a,
    P::Item: Send + 'a,
    N: PageNumber + Send + 'a,
    S: PageNumber + Send + 'a,
    E: Send + 'a,
    F: FnMut(N, S) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P, E>> + Send + 'a,
{
    let next = pages.start.or_else(|| N::from_u64(pages.first));
    let Some(size) = pages.size.or_else(|| S::from_u64(pages.default_size)) else {
        return futures::stream::empty().boxed();
    };
    let state = State {
        fetch,
        next,
        size,
        first: pages.first,
        last: pages.last,
    };
    futures::stream::unfold(Some(state), |state| async move {
        let mut state = state?;
        let page = state.next.take()?;
        match (state.fetch)(page, state.size).await {
            Err(error) => Some((Err(error), None)),
            Ok(answer) => {
                let total = answer.total();
                let items = answer.into_items();
                state.next = state.after(page, items.len(), total);
                Some((Ok(items), Some(state)))
            }
        }
    })
    .map_ok(|items| futures::stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}
/// A page that says where the next one starts: the cursor its answer returns (Fleet's `nextSearchAfter`, the
/// lists' `cursor`), to send back with the next request.
///
/// The regen implements it for the answer of every operation whose call has a cursor stream (`REGEN_REPORT.md`,
/// "Paged calls").
///
/// ```
/// use kibana_gen::paging::{CursorPage, Page};
///
/// struct Found {
///     items: Vec<u32>,
///     next: Option<String>,
/// }
///
/// impl Page for Found {
///     type Item = u32;
///     fn into_items(self) -> Vec<u32> {
///         self.items
///     }
/// }
///
/// impl CursorPage for Found {
///     type Cursor = String;
///     fn next_cursor(&self) -> Option<String> {
///         self.next.clone()
///     }
/// }
///
/// assert_eq!(Found { items: vec![1], next: None }.next_cursor(), None);
/// ```
pub trait CursorPage: Page {
    /// What the next request sends back.
    type Cursor: Clone + PartialEq;

    /// Where the next page starts, when the answer says.
    fn next_cursor(&self) -> Option<Self::Cursor>;
}

/// Where a cursor stream is: the cursor to send next (`Some(None)`: the first page; `None`: done), and the items
/// so far.
struct Following<C, F> {
    fetch: F,
    next: Option<Option<C>>,
    size: Option<u64>,
    seen: u64,
}

/// Every item of every page, following the answers' cursors: asks `fetch` for the first page (no cursor), then
/// for the page after each answer's [`next_cursor`](CursorPage::next_cursor), and yields the pages' items, until
/// an answer has no cursor or no items, holds fewer items than `page_size` (when known), or the pages so far hold
/// the answer's [`total`](Page::total). An answer whose cursor is the one just sent repeats the page before (Kibana
/// did not follow the cursor): it is not yielded, and ends the stream. An error is yielded and ends the stream.
///
/// ```
/// use futures::TryStreamExt;
/// use kibana_gen::paging::{self, CursorPage, Page};
///
/// struct Found {
///     items: Vec<u32>,
///     next: Option<u32>,
/// }
///
/// impl Page for Found {
///     type Item = u32;
///     fn into_items(self) -> Vec<u32> {
///         self.items
///     }
/// }
///
/// impl CursorPage for Found {
///     type Cursor = u32;
///     fn next_cursor(&self) -> Option<u32> {
///         self.next
///     }
/// }
///
/// // 25 items, 10 a page, each answer naming the last item it holds.
/// let items: Vec<u32> = futures::executor::block_on(
///     paging::cursor_stream(Some(10), |after: Option<u32>| async move {
///         let start = after.map_or(0, |last| last + 1);
///         let items: Vec<u32> = (start..(start + 10).min(25)).collect();
///         Ok::<_, std::convert::Infallible>(Found { next: items.last().copied(), items })
///     })
///     .try_collect(),
/// )
/// .unwrap();
/// assert_eq!(items, (0..25).collect::<Vec<_>>());
/// ```
#[must_use = "a stream asks for nothing until it is polled"]
pub fn cursor_stream<'a, P, E, F, Fut>(page_size: Option<u64>, fetch: F) -> PageStream<'a, P, E>
where
    P: CursorPage + 'a,
    P::Item: Send + 'a,
    P::Cursor: Send + 'a,
    E: Send + 'a,
    F: FnMut(Option<P::Cursor>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<P, E>> + Send + 'a,
{
    let state = Following {
        fetch,
        next: Some(None),
        size: page_size,
        seen: 0,
    };
    futures::stream::unfold(Some(state), |state| async move {
        let mut state = state?;
        let sent = state.next.take()?;
        match (state.fetch)(sent.clone()).await {
            Err(error) => Some((Err(error), None)),
            Ok(answer) => {
                let (total, cursor) = (answer.total(), answer.next_cursor());
                if sent.is_some() && cursor == sent {
                    return Some((Ok(Vec::new()), None));
                }
                let items = answer.into_items();
                let count = u64::try_from(items.len()).unwrap_or(u64::MAX);
                state.seen = state.seen.saturating_add(count);
                let more = count > 0
                    && state.size.is_none_or(|size| count >= size)
                    && total.is_none_or(|total| state.seen < total);
                state.next = cursor.filter(|_| more).map(Some);
                Some((Ok(items), Some(state)))
            }
        }
    })
    .map_ok(|items| futures::stream::iter(items.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}
"#;
