//! Where in a definition something is: a JSON Pointer into the ASL document.

use std::fmt;

/// One step of a [`Location`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// An object member by its ASL name (`Next`, `Retry`, ...).
    Key(String),
    /// An array element.
    Index(usize),
    /// A state inside a `States` object. `position` tells apart two states that share a
    /// name (a duplicate), which a JSON Pointer alone cannot.
    State {
        /// The state's name, as the pointer shows it.
        name: String,
        /// Its position among its siblings.
        position: usize,
    },
}

/// A location in a definition, shown as a JSON Pointer (`/States/Foo/Next`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Location(Vec<Segment>);

impl Location {
    /// The document's root.
    #[must_use]
    pub fn root() -> Self {
        Self::default()
    }

    /// This location extended by an object member.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        self.with(Segment::Key(key.to_owned()))
    }

    /// This location extended by an array index.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        self.with(Segment::Index(index))
    }

    /// This location extended by the state at `position` of a `States` object.
    #[must_use]
    pub fn state(&self, name: &str, position: usize) -> Self {
        self.with(Segment::State {
            name: name.to_owned(),
            position,
        })
    }

    /// The location one step up, or `None` at the root.
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        let (_, rest) = self.0.split_last()?;
        Some(Self(rest.to_vec()))
    }

    /// The segments, outermost first.
    #[must_use]
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    fn with(&self, segment: Segment) -> Self {
        let mut segments = self.0.clone();
        segments.push(segment);
        Self(segments)
    }
}

impl fmt::Display for Location {
    /// Writes the RFC 6901 JSON Pointer, escaping `~` and `/` in names.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("");
        }
        for segment in &self.0 {
            f.write_str("/")?;
            match segment {
                Segment::Key(key) => write_escaped(f, key)?,
                Segment::Index(i) => write!(f, "{i}")?,
                Segment::State { name, .. } => {
                    f.write_str("States/")?;
                    write_escaped(f, name)?;
                }
            }
        }
        Ok(())
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str(&s.replace('~', "~0").replace('/', "~1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_json_pointers() {
        let loc = Location::root()
            .state("Do it", 0)
            .key("Branches")
            .index(1)
            .state("a/b~c", 2)
            .key("Next");
        assert_eq!(
            loc.to_string(),
            "/States/Do it/Branches/1/States/a~1b~0c/Next"
        );
        assert_eq!(Location::root().to_string(), "");
    }

    #[test]
    fn duplicate_names_are_distinct_locations() {
        assert_ne!(
            Location::root().state("A", 0),
            Location::root().state("A", 3)
        );
        assert_eq!(
            Location::root().state("A", 0).key("Next").parent(),
            Some(Location::root().state("A", 0))
        );
    }
}
