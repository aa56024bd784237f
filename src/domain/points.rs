//! Points, for campaigns scored in points: kept exactly, as hundredths of a point in a `u32`,
//! so `7,5` is 750 and sums never drift as floating point would. Written with a dot in data
//! files and exports, with a comma in Vietnamese text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Lang;

/// A number of points, exact to the hundredth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(u32);

impl Points {
    pub const ZERO: Points = Points(0);

    /// Points from hundredths of a point.
    pub const fn from_hundredths(h: u32) -> Points {
        Points(h)
    }

    /// Whole points.
    pub const fn whole(n: u32) -> Points {
        Points(n.saturating_mul(100))
    }

    pub const fn hundredths(self) -> u32 {
        self.0
    }

    pub(crate) fn saturating_add(self, other: Points) -> Points {
        Points(self.0.saturating_add(other.0))
    }

    /// Reads what a reviewer types: digits with at most two decimals after a comma or a dot
    /// (`7`, `7,5`, `7.25`). `None` for anything else.
    pub fn parse(text: &str) -> Option<Points> {
        let text = text.trim();
        let (int, frac) = match text.find([',', '.']) {
            Some(at) => (&text[..at], &text[at + 1..]),
            None => (text, ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || frac.len() > 2 {
            return None;
        }
        if text.contains([',', '.']) && frac.is_empty() {
            return None;
        }
        let int: u32 = int.parse().ok()?;
        let frac: u32 = match frac.len() {
            0 => 0,
            1 => frac.parse::<u32>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        int.checked_mul(100)?.checked_add(frac).map(Points)
    }

    /// Points from a number in a file (`7`, `7.5`); `None` if negative, not finite or finer
    /// than a hundredth.
    pub(crate) fn from_f64(x: f64) -> Option<Points> {
        let h = (x * 100.0).round();
        if !x.is_finite() || x < 0.0 || h > f64::from(u32::MAX) || (h - x * 100.0).abs() > 1e-6 {
            return None;
        }
        Some(Points(h as u32))
    }

    /// The number as a reader writes it: `7`, `7,5` (Vietnamese) or `7.5` (English).
    pub fn show(self, lang: Lang) -> String {
        let s = self.to_string();
        match lang {
            Lang::Vi => s.replace('.', ","),
            Lang::En => s,
        }
    }
}

/// With a dot and no trailing zeros: `7`, `7.5`, `7.25`.
impl std::fmt::Display for Points {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (int, frac) = (self.0 / 100, self.0 % 100);
        match frac {
            0 => write!(f, "{int}"),
            _ if frac % 10 == 0 => write!(f, "{int}.{}", frac / 10),
            _ => write!(f, "{int}.{frac:02}"),
        }
    }
}

impl From<Points> for f64 {
    fn from(p: Points) -> f64 {
        f64::from(p.0) / 100.0
    }
}

/// As a JSON or TOML number (`7.5`), so records written when scores were whole numbers read
/// back unchanged.
impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(100) {
            s.serialize_u32(self.0 / 100)
        } else {
            s.serialize_f64(f64::from(*self))
        }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
        let x = f64::deserialize(d)?;
        Points::from_f64(x).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{x} is not a number of points (0 or more, at most two decimals)"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_and_dot_read_the_same() {
        assert_eq!(Points::parse("7,5"), Some(Points(750)));
        assert_eq!(Points::parse("7.5"), Some(Points(750)));
        assert_eq!(Points::parse("7.25"), Some(Points(725)));
        assert_eq!(Points::parse("10"), Some(Points(1000)));
        for bad in ["", ",5", "7,", "7,555", "a", "-1", "7,5,1", "7 5"] {
            assert_eq!(Points::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn shown_per_language_and_serialised_as_numbers() {
        assert_eq!(Points(750).show(Lang::Vi), "7,5");
        assert_eq!(Points(750).show(Lang::En), "7.5");
        assert_eq!(Points(1005).to_string(), "10.05");
        assert_eq!(serde_json::to_string(&Points(700)).expect("json"), "7");
        assert_eq!(serde_json::to_string(&Points(750)).expect("json"), "7.5");
        assert_eq!(
            serde_json::from_str::<Points>("7").expect("json"),
            Points(700)
        );
        assert_eq!(
            serde_json::from_str::<Points>("0.01").expect("json"),
            Points(1)
        );
        assert!(serde_json::from_str::<Points>("-1").is_err());
        assert!(serde_json::from_str::<Points>("0.001").is_err());
    }
}
