//! Mapping `mysql_async` errors into [`orm_core::Error`].
//!
//! Contract: server errors keep their number (as text) and message in [`DbError`], and the portable
//! kinds are chosen by number: 1062 unique, 1451/1452 foreign key, 1048/1364 not null, 3819/4025
//! check, 1205/1213 transaction conflict. The key, constraint, table or column the server names is
//! parsed out of the message. A killed or lost connection (server errors 1053, 1152, 1927, 2006,
//! 2013, 4031, I/O errors, protocol desynchronisation) is `Error::Disconnected`. Connect failures
//! are `Error::Connect` and name the server, never the password.

use mysql_async::{DriverError, Error as MyError, ServerError, UrlError};
use orm_core::{DbError, DbErrorKind, Error};

/// Server error numbers that mean the session is gone.
const DISCONNECT_CODES: &[u16] = &[
    1053, // ER_SERVER_SHUTDOWN
    1152, // ER_ABORTING_CONNECTION
    1927, // ER_CONNECTION_KILLED (MariaDB)
    2006, // CR_SERVER_GONE_ERROR
    2013, // CR_SERVER_LOST
    4031, // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
];

/// Maps an error raised while running a statement on an open connection.
pub(super) fn map_error(err: MyError) -> Error {
    match err {
        MyError::Server(e) => map_server_error(e),
        MyError::Io(e) => Error::disconnected(e.to_string(), Some(Box::new(e))),
        MyError::Driver(e) => map_driver_error(e),
        MyError::Url(e) => Error::Config(describe_url_error(&e)),
        MyError::Other(e) => Error::disconnected(format!("driver error: {e}"), Some(e)),
    }
}

fn map_driver_error(err: DriverError) -> Error {
    match err {
        DriverError::StmtParamsMismatch { required, supplied } => Error::InvalidQuery(format!(
            "the statement has {required} placeholders but {supplied} values were bound"
        )),
        DriverError::StmtParamsNumberExceedsLimit { supplied } => Error::InvalidQuery(format!(
            "{supplied} bound values exceed the MySQL limit of 65535"
        )),
        DriverError::Params(e) => Error::InvalidQuery(format!(
            "`:name` placeholders are not supported, use `?`: {e}"
        )),
        DriverError::MixedParams => {
            Error::InvalidQuery("the statement mixes `?` and `:name` placeholders".to_owned())
        }
        DriverError::PacketTooLarge => Error::Encode {
            message: "the statement is larger than the server's max_allowed_packet".to_owned(),
        },
        other => Error::disconnected(format!("driver error: {other}"), Some(Box::new(other))),
    }
}

fn map_server_error(e: ServerError) -> Error {
    if DISCONNECT_CODES.contains(&e.code) {
        return Error::disconnected(
            format!("server error {}: {}", e.code, e.message),
            Some(Box::new(e)),
        );
    }
    let mut db = DbError::new(e.code.to_string(), e.message);
    let kind = match e.code {
        1062 => {
            db.constraint = duplicate_key_name(&db.message);
            DbErrorKind::UniqueViolation
        }
        1451 | 1452 => {
            db.constraint = backquoted_after(&db.message, "CONSTRAINT ");
            db.table = foreign_key_table(&db.message);
            DbErrorKind::ForeignKeyViolation
        }
        1048 | 1364 => {
            db.column = quoted_after(&db.message, "Column ")
                .or_else(|| quoted_after(&db.message, "Field "));
            DbErrorKind::NotNullViolation
        }
        3819 => {
            db.constraint = quoted_after(&db.message, "Check constraint ");
            DbErrorKind::CheckViolation
        }
        4025 => {
            db.constraint = backquoted_after(&db.message, "CONSTRAINT ");
            DbErrorKind::CheckViolation
        }
        1205 | 1213 => DbErrorKind::TransactionConflict,
        _ => DbErrorKind::Other,
    };
    Error::from_db(kind, db)
}

/// Maps an error raised while opening a connection to `target` (`host:port`, no credentials).
pub(super) fn map_connect_error(err: MyError, target: &str) -> Error {
    let message = match &err {
        MyError::Server(e) => match e.code {
            1044 | 1045 | 1698 => format!("access denied by {target}: {}", e.message),
            1049 => format!("unknown database on {target}: {}", e.message),
            _ => format!("{target} refused the session: [{}] {}", e.code, e.message),
        },
        MyError::Io(e) => format!("cannot reach {target}: {e}"),
        MyError::Url(e) => format!("{target}: {}", describe_url_error(e)),
        MyError::Driver(e) => format!("handshake with {target} failed: {e}"),
        MyError::Other(e) => format!("handshake with {target} failed: {e}"),
    };
    Error::connect(message, Some(Box::new(err)))
}

/// A URL error without any parameter value.
pub(super) fn describe_url_error(e: &UrlError) -> String {
    match e {
        UrlError::InvalidParamValue { param, .. } => {
            format!("invalid value for URL parameter `{param}`")
        }
        UrlError::Parse(p) => format!("malformed URL: {p}"),
        UrlError::UnknownParameter { param } => format!("unknown URL parameter `{param}`"),
        UrlError::UnsupportedScheme { scheme } => {
            format!("unsupported URL scheme `{scheme}` (expected mysql:// or mariadb://)")
        }
        UrlError::FeatureRequired { param, .. } => format!(
            "URL parameter `{param}` needs TLS, which this build of the MySQL driver does not include"
        ),
        other => other.to_string(),
    }
}

/// `Duplicate entry '...' for key 'uq_users_email'`; MySQL 8 writes `'users.uq_users_email'`.
fn duplicate_key_name(message: &str) -> Option<String> {
    let marker = " for key '";
    let start = message.rfind(marker)? + marker.len();
    let key = message[start..].strip_suffix('\'')?;
    let key = key.rsplit_once('.').map_or(key, |(_, name)| name);
    (!key.is_empty()).then(|| key.to_owned())
}

/// The name in single quotes right after `prefix`: `Column 'name' cannot be null`.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    delimited_after(message, prefix, '\'')
}

/// The name in backquotes right after `prefix`: ``CONSTRAINT `fk_child_parent` FOREIGN KEY``.
fn backquoted_after(message: &str, prefix: &str) -> Option<String> {
    delimited_after(message, prefix, '`')
}

fn delimited_after(message: &str, prefix: &str, quote: char) -> Option<String> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    let rest = rest.strip_prefix(quote)?;
    let end = rest.find(quote)?;
    (end > 0).then(|| rest[..end].to_owned())
}

/// ``a foreign key constraint fails (`db`.`child`, CONSTRAINT ...``: the child table.
fn foreign_key_table(message: &str) -> Option<String> {
    let rest = &message[message.find("fails (")? + "fails (".len()..];
    let qualified = rest.split(", CONSTRAINT").next()?;
    let table = qualified.rsplit('.').next()?.trim_matches('`');
    (!table.is_empty()).then(|| table.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(code: u16, message: &str) -> Error {
        map_error(MyError::Server(ServerError {
            code,
            message: message.to_owned(),
            state: "23000".to_owned(),
        }))
    }

    #[test]
    fn unique_violation_names_the_key() {
        let e = server(
            1062,
            "Duplicate entry 'a' for key 'x' for key 'uq_users_email'",
        );
        assert!(e.is_unique_violation());
        assert_eq!(e.constraint(), Some("uq_users_email"));
        assert_eq!(e.code(), Some("1062"));
        let e = server(1062, "Duplicate entry '1' for key 'users.PRIMARY'");
        assert_eq!(e.constraint(), Some("PRIMARY"));
    }

    #[test]
    fn foreign_key_violation_names_constraint_and_table() {
        let e = server(
            1452,
            "Cannot add or update a child row: a foreign key constraint fails (`test`.`child`, \
             CONSTRAINT `fk_child_parent` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`))",
        );
        assert!(e.is_foreign_key_violation());
        assert_eq!(e.constraint(), Some("fk_child_parent"));
        assert_eq!(e.db_error().and_then(|d| d.table.as_deref()), Some("child"));
    }

    #[test]
    fn not_null_and_check_violations() {
        let e = server(1048, "Column 'name' cannot be null");
        assert!(e.is_not_null_violation());
        assert_eq!(e.db_error().and_then(|d| d.column.as_deref()), Some("name"));
        let e = server(1364, "Field 'name' doesn't have a default value");
        assert_eq!(e.db_error().and_then(|d| d.column.as_deref()), Some("name"));
        let e = server(4025, "CONSTRAINT `chk_age` failed for `test`.`people`");
        assert!(matches!(e, Error::CheckViolation(_)));
        assert_eq!(e.constraint(), Some("chk_age"));
        let e = server(3819, "Check constraint 'chk_age' is violated.");
        assert_eq!(e.constraint(), Some("chk_age"));
    }

    #[test]
    fn conflicts_and_disconnects() {
        assert!(server(1213, "Deadlock found").is_retryable());
        assert!(server(1205, "Lock wait timeout exceeded").is_retryable());
        assert!(server(1927, "Connection was killed").is_disconnected());
        let e = server(1146, "Table 'test.nope' doesn't exist");
        assert!(matches!(e, Error::Database(_)));
        assert_eq!(e.code(), Some("1146"));
    }

    #[test]
    fn connect_errors_name_the_target() {
        let e = map_connect_error(
            MyError::Server(ServerError {
                code: 1045,
                message: "Access denied for user 'u'@'localhost' (using password: YES)".to_owned(),
                state: "28000".to_owned(),
            }),
            "db.example:3306",
        );
        assert!(matches!(e, Error::Connect { .. }));
        assert!(
            e.to_string().contains("access denied by db.example:3306"),
            "{e}"
        );
    }
}
