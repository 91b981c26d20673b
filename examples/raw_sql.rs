//! Hand-written SQL mapped into typed rows, on whichever backend `DATABASE_URL` names
//! (a SQLite file by default). Placeholders are `?` on every backend; values are always bound.

use orm::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[orm(table = "raw_sql_books")]
pub struct Book {
    #[orm(primary_key, auto_increment)]
    pub id: i64,
    pub title: String,
    pub year: i32,
    pub rating: Option<f64>,
}

#[tokio::main]
async fn main() -> orm::Result<()> {
    let url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "sqlite://raw_sql.db?mode=rwc".into());
    let db = Database::connect(&url).await?;
    db.drop_table::<Book>().await?;
    db.create_table::<Book>().await?;
    let mut books = vec![
        Book {
            id: 0,
            title: "Dune".into(),
            year: 1965,
            rating: Some(4.3),
        },
        Book {
            id: 0,
            title: "Neuromancer".into(),
            year: 1984,
            rating: Some(3.9),
        },
        Book {
            id: 0,
            title: "Snow Crash".into(),
            year: 1992,
            rating: None,
        },
    ];
    Book::insert_many(&db, &mut books).await?;

    // Rows into a model: columns are matched by name, in any order.
    let modern: Vec<Book> =
        raw("SELECT title, id, rating, year FROM raw_sql_books WHERE year > ? ORDER BY year")
            .bind(1980)
            .fetch_all(&db)
            .await?;
    println!("after 1980: {modern:#?}");

    // Rows into a tuple: columns by position.
    let stats: (i64, Option<i32>) = raw("SELECT COUNT(*), MAX(year) FROM raw_sql_books")
        .fetch_one(&db)
        .await?;
    println!("{} books, newest from {:?}", stats.0, stats.1);

    // Statements report rows affected (rows matched for UPDATE, on every backend).
    let n = raw("UPDATE raw_sql_books SET rating = ? WHERE rating IS NULL")
        .bind(4.0)
        .execute(&db)
        .await?;
    println!("rated {n} unrated book(s)");
    db.close().await;
    Ok(())
}
