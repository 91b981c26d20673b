//! Tracing for every backend, applied once in the common layer.
//!
//! Contract:
//! - Each statement runs inside one `orm.query` span (target `orm::query`, level INFO) carrying
//!   `db.system` (`postgresql` | `mysql` | `sqlite`), `db.operation` (the first SQL keyword, upper
//!   case), `db.statement` (the SQL text with its placeholders; bound values are never recorded) and
//!   `otel.kind = "client"`. When the statement ends the span records `rows` (affected or returned),
//!   `elapsed_ms` and, on failure, `error`.
//! - A statement slower than [`SLOW_STATEMENT`] also emits a WARN event inside its span.
//! - Checking a connection out of the pool runs inside an `orm.pool.acquire` span (target
//!   `orm::pool`) that records `waited_ms` and, on failure, `error`.
//! - Nothing here ever sees a password: spans carry SQL text, never connection strings.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use orm_core::{Dialect, Result};
use tracing::Span;
use tracing::field::{Empty, display};

/// Statements that take longer than this are reported with a WARN event.
pub(crate) const SLOW_STATEMENT: Duration = Duration::from_secs(1);

/// The first keyword of `sql`, skipping leading whitespace, comments and opening parentheses
/// (`""` when there is none). Case is preserved.
pub(crate) fn first_keyword(sql: &str) -> &str {
    let mut rest = sql;
    // Usually the statement starts with its keyword: nothing to skip.
    while !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.find('\n').map_or("", |i| &after[i + 1..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
        } else {
            break;
        }
    }
    let end = rest
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Displays the first keyword of a statement in upper case without allocating.
struct Operation<'a>(&'a str);

impl fmt::Display for Operation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        first_keyword(self.0)
            .chars()
            .try_for_each(|c| f.write_char(c.to_ascii_uppercase()))
    }
}

/// The `orm.query` span for one statement. Field values are only computed when a subscriber wants
/// the span.
pub(crate) fn query_span(dialect: Dialect, sql: &str) -> Span {
    tracing::info_span!(
        target: "orm::query",
        "orm.query",
        db.system = dialect.name(),
        db.operation = %Operation(sql),
        db.statement = sql,
        otel.kind = "client",
        rows = Empty,
        elapsed_ms = Empty,
        error = Empty,
    )
}

/// How many rows a statement's result stands for, recorded as the span's `rows` field.
pub(crate) trait RowCount {
    /// Rows affected or returned.
    fn row_count(&self) -> u64;
}

impl RowCount for orm_core::ExecResult {
    fn row_count(&self) -> u64 {
        self.rows_affected
    }
}

impl<T> RowCount for Vec<T> {
    fn row_count(&self) -> u64 {
        self.len() as u64
    }
}

impl<T> RowCount for Option<T> {
    fn row_count(&self) -> u64 {
        u64::from(self.is_some())
    }
}

impl RowCount for () {
    fn row_count(&self) -> u64 {
        0
    }
}

/// `true` when a subscriber wants a statement's `span` or its slow-statement warning.
pub(crate) fn is_active(span: &Span) -> bool {
    !span.is_disabled() || tracing::enabled!(target: "orm::query", tracing::Level::WARN)
}

/// Runs `fut` inside `span`, then records rows, elapsed time and error, and warns when it was slow.
/// Callers await `fut` directly instead when [`is_active`] is `false`.
pub(crate) fn traced<F, T>(span: Span, fut: F) -> Traced<F, StatementSpan>
where
    F: Future<Output = Result<T>>,
    T: RowCount,
{
    Traced::new(span, fut)
}

/// Runs a pool checkout inside `span` and records how long it waited and any error. Callers await
/// the checkout directly instead when no subscriber wants the span.
pub(crate) fn traced_acquire<F, T>(span: Span, fut: F) -> Traced<F, CheckoutSpan>
where
    F: Future<Output = Result<T>>,
{
    Traced::new(span, fut)
}

/// What a [`Traced`] future records in its span when it ends.
pub(crate) trait Record<T> {
    fn record(span: &Span, elapsed: Duration, out: &Result<T>);
}

/// A statement: rows, elapsed time, error, and a warning when slow.
#[derive(Debug)]
pub(crate) enum StatementSpan {}

impl<T: RowCount> Record<T> for StatementSpan {
    fn record(span: &Span, elapsed: Duration, out: &Result<T>) {
        let elapsed_ms = elapsed.as_secs_f64() * 1000.0;
        span.record("elapsed_ms", elapsed_ms);
        match out {
            Ok(v) => {
                span.record("rows", v.row_count());
            }
            Err(e) => {
                span.record("error", display(e));
            }
        }
        if elapsed >= SLOW_STATEMENT {
            tracing::warn!(target: "orm::query", parent: span, elapsed_ms, "slow statement");
        }
    }
}

/// A pool checkout: time waited and error.
#[derive(Debug)]
pub(crate) enum CheckoutSpan {}

impl<T> Record<T> for CheckoutSpan {
    fn record(span: &Span, elapsed: Duration, out: &Result<T>) {
        span.record("waited_ms", elapsed.as_secs_f64() * 1000.0);
        if let Err(e) = out {
            span.record("error", display(e));
        }
    }
}

pin_project_lite::pin_project! {
    /// A future run inside a span that records its outcome per `R` (see [`traced`] and
    /// [`traced_acquire`]). A plain struct rather than an `async fn`, which would hold `fut` twice.
    pub(crate) struct Traced<F, R> {
        #[pin]
        fut: F,
        span: Span,
        // Set at the first poll.
        started: Option<Instant>,
        record: PhantomData<R>,
    }
}

impl<F, R> Traced<F, R> {
    fn new(span: Span, fut: F) -> Self {
        Traced {
            fut,
            span,
            started: None,
            record: PhantomData,
        }
    }
}

impl<F, T, R> Future for Traced<F, R>
where
    F: Future<Output = Result<T>>,
    R: Record<T>,
{
    type Output = Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        let this = self.project();
        let started = *this.started.get_or_insert_with(Instant::now);
        let out = {
            let _entered = this.span.enter();
            std::task::ready!(this.fut.poll(cx))
        };
        R::record(this.span, started.elapsed(), &out);
        Poll::Ready(out)
    }
}

/// The `orm.pool.acquire` span.
pub(crate) fn acquire_span(dialect: Dialect) -> Span {
    tracing::info_span!(
        target: "orm::pool",
        "orm.pool.acquire",
        db.system = dialect.name(),
        waited_ms = Empty,
        error = Empty,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_keyword_skips_noise() {
        assert_eq!(first_keyword("SELECT 1"), "SELECT");
        assert_eq!(first_keyword("  \n\tinsert into t"), "insert");
        assert_eq!(first_keyword("-- c\n/* x */ (select 1)"), "select");
        assert_eq!(first_keyword("/* unterminated"), "");
        assert_eq!(first_keyword("-- only a comment"), "");
        assert_eq!(first_keyword(""), "");
        assert_eq!(
            Operation("with x as (select 1) select * from x").to_string(),
            "WITH"
        );
    }
}
