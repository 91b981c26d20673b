//! Every `#[orm(...)]` keyword in one place: its spelling, where it goes (struct or field), the form
//! it takes, and the names users coming from other libraries tend to type instead.

/// `#[orm(...)]`, the only attribute the derive reads.
pub const ORM: &str = "orm";

/// Where an attribute belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// On the struct.
    Container,
    /// On a field.
    Field,
}

impl Level {
    /// `struct` or `field`, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Level::Container => "struct",
            Level::Field => "field",
        }
    }
}

/// One attribute keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    /// `table = "name"` (struct)
    Table,
    /// `crate = "path"` (struct)
    Crate,
    /// `primary_key` (field)
    PrimaryKey,
    /// `auto_increment` (field)
    AutoIncrement,
    /// `column = "name"` (field)
    Column,
    /// `unique` (field)
    Unique,
    /// `index` (field)
    Index,
}

impl Keyword {
    /// Every keyword.
    pub const ALL: [Keyword; 7] = [
        Keyword::Table,
        Keyword::Crate,
        Keyword::PrimaryKey,
        Keyword::AutoIncrement,
        Keyword::Column,
        Keyword::Unique,
        Keyword::Index,
    ];

    /// Names from other libraries (serde, diesel, SeaORM) mapped to the keyword meant.
    const ALIASES: [(&'static str, Keyword); 7] = [
        ("rename", Keyword::Column),
        ("name", Keyword::Column),
        ("column_name", Keyword::Column),
        ("table_name", Keyword::Table),
        ("pk", Keyword::PrimaryKey),
        ("serial", Keyword::AutoIncrement),
        ("unique_key", Keyword::Unique),
    ];

    /// The keyword as written.
    pub fn name(self) -> &'static str {
        match self {
            Keyword::Table => "table",
            Keyword::Crate => "crate",
            Keyword::PrimaryKey => "primary_key",
            Keyword::AutoIncrement => "auto_increment",
            Keyword::Column => "column",
            Keyword::Unique => "unique",
            Keyword::Index => "index",
        }
    }

    /// Where the keyword goes.
    pub fn level(self) -> Level {
        match self {
            Keyword::Table | Keyword::Crate => Level::Container,
            _ => Level::Field,
        }
    }

    /// The correct way to write it.
    pub fn form(self) -> &'static str {
        match self {
            Keyword::Table => "#[orm(table = \"users\")]",
            Keyword::Crate => "#[orm(crate = \"::orm\")]",
            Keyword::PrimaryKey => "#[orm(primary_key)]",
            Keyword::AutoIncrement => "#[orm(primary_key, auto_increment)]",
            Keyword::Column => "#[orm(column = \"name\")]",
            Keyword::Unique => "#[orm(unique)]",
            Keyword::Index => "#[orm(index)]",
        }
    }

    /// `true` for keywords written `key = "value"`, `false` for bare flags.
    pub fn takes_value(self) -> bool {
        matches!(self, Keyword::Table | Keyword::Crate | Keyword::Column)
    }

    /// The keyword spelled exactly `name`.
    pub fn from_name(name: &str) -> Option<Keyword> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The keyword most likely meant by an unknown `name`: a known alias, an abbreviation, or the
    /// nearest spelling (ignoring case, `_` and `-`) within a small edit distance.
    pub fn closest(name: &str) -> Option<Keyword> {
        let wanted = normalize(name);
        if let Some((_, k)) = Self::ALIASES
            .iter()
            .find(|(alias, _)| normalize(alias) == wanted)
        {
            return Some(*k);
        }
        if wanted.len() >= 3
            && let Some(k) = Self::ALL
                .into_iter()
                .find(|k| normalize(k.name()).starts_with(&wanted))
        {
            return Some(k);
        }
        Self::ALL
            .into_iter()
            .map(|k| (edit_distance(&wanted, &normalize(k.name())), k))
            .filter(|&(d, k)| d <= (k.name().len() / 3).max(2))
            .min_by_key(|&(d, _)| d)
            .map(|(_, k)| k)
    }

    /// The keywords that belong at `level`, formatted for a help line.
    pub fn list(level: Level) -> String {
        let forms: Vec<String> = Self::ALL
            .into_iter()
            .filter(|k| k.level() == level)
            .map(|k| {
                if k.takes_value() {
                    format!("`{} = \"...\"`", k.name())
                } else {
                    format!("`{}`", k.name())
                }
            })
            .collect();
        forms.join(", ")
    }
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            cur.push(substitute.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in Keyword::ALL {
            assert_eq!(Keyword::from_name(k.name()), Some(k));
        }
    }

    #[test]
    fn suggests_misspellings_and_aliases() {
        assert_eq!(Keyword::closest("primay_key"), Some(Keyword::PrimaryKey));
        assert_eq!(Keyword::closest("primarykey"), Some(Keyword::PrimaryKey));
        assert_eq!(Keyword::closest("PrimaryKey"), Some(Keyword::PrimaryKey));
        assert_eq!(
            Keyword::closest("autoincrement"),
            Some(Keyword::AutoIncrement)
        );
        assert_eq!(Keyword::closest("uniqe"), Some(Keyword::Unique));
        assert_eq!(Keyword::closest("indx"), Some(Keyword::Index));
        assert_eq!(Keyword::closest("tabel"), Some(Keyword::Table));
        assert_eq!(Keyword::closest("rename"), Some(Keyword::Column));
        assert_eq!(Keyword::closest("table_name"), Some(Keyword::Table));
        assert_eq!(Keyword::closest("pk"), Some(Keyword::PrimaryKey));
        assert_eq!(Keyword::closest("col"), Some(Keyword::Column));
        assert_eq!(Keyword::closest("auto"), Some(Keyword::AutoIncrement));
        assert_eq!(Keyword::closest("default"), None);
        assert_eq!(Keyword::closest("x"), None);
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
