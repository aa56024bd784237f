//! The campaign file (TOML). Parsed with serde (unknown keys refused), then checked for what
//! serde cannot see: dangling references, duplicate ids, a points group without its
//! qualifying total. Every error names the file and the key.

use std::collections::HashSet;
use std::path::Path;

use crate::domain::{Campaign, Hint, Scale};
use crate::msg::{Key, Part, Told};

/// The bundled sample campaign: An Giang 2021, Plan 443/KH-UBND.
pub const SAMPLE: &str = include_str!("../../data/campaign.toml");
pub(crate) const FORMAT: &str = "thidua-campaign";
pub(crate) const VERSION: u32 = 1;

/// A refused campaign file: the file and what is wrong with it, as catalogue ids with their
/// arguments (the line, the key, the ids involved), worded in the reader's language by the
/// command line. Its `Display` (English, for logs and tests) is in `commands::init`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignError {
    pub file: String,
    pub told: Told,
}

impl std::error::Error for CampaignError {}

/// A message whose arguments are plain text.
fn said(key: Key, args: impl IntoIterator<Item = String>) -> Told {
    Told::new(key, args.into_iter().map(Part::Text))
}

/// `what` at a place in the file: `group "collective", criterion "TT2", key `id`: what`.
fn at(place: impl IntoIterator<Item = Part>, what: Told) -> Told {
    let mut parts = Vec::new();
    for (i, p) in place.into_iter().enumerate() {
        if i > 0 {
            parts.push(", ".into());
        }
        parts.push(p);
    }
    parts.push(": ".into());
    parts.push(what.into());
    super::table::cat(parts)
}

/// The places a campaign message names.
fn key(k: &str) -> Part {
    said(Key::CampKey, [k.to_string()]).into()
}
fn group(id: &str) -> Part {
    said(Key::CampGroup, [format!("{id:?}")]).into()
}
fn criterion(id: &str) -> Part {
    said(Key::CampCriterion, [format!("{id:?}")]).into()
}
fn tier(id: &str) -> Part {
    said(Key::CampTier, [format!("{id:?}")]).into()
}
fn award(n: usize) -> Part {
    said(Key::CampAward, [n.to_string()]).into()
}
/// `place must not be empty`.
fn empty(place: impl IntoIterator<Item = Part>) -> Told {
    let mut parts = Vec::new();
    for (i, p) in place.into_iter().enumerate() {
        if i > 0 {
            parts.push(", ".into());
        }
        parts.push(p);
    }
    Told::new(Key::CampMustNotBeEmpty, [super::table::cat(parts).into()])
}
fn on_line(line: usize, what: Told) -> Told {
    Told::new(Key::CampLine, [line.to_string().into(), what.into()])
}

/// A TOML syntax or shape error: the crate's own detail, framed with the line and column
/// (`at`: line, column, the line's text, detail) or, with no place to name, by `whole`
/// (detail). The campaign and reviewers files both frame their TOML errors here.
pub(crate) fn toml_error(text: &str, e: &toml::de::Error, at: Key, whole: Key) -> Told {
    let detail = e.message().trim().to_string();
    // A key missing at the top level is reported over the whole document: no place to name.
    match e
        .span()
        .filter(|s| !(s.start == 0 && (s.end == 0 || s.end >= text.trim_end().len())))
    {
        Some(span) => {
            let start = span.start.min(text.len());
            let before = text.get(..start).unwrap_or(text);
            let line = 1 + before.matches('\n').count();
            let column = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
            let source = text.lines().nth(line - 1).unwrap_or("").trim();
            said(
                at,
                [
                    line.to_string(),
                    column.to_string(),
                    super::table::shown(source),
                    detail,
                ],
            )
        }
        None => said(whole, [detail]),
    }
}

pub fn load(path: &Path) -> Result<Campaign, CampaignError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CampaignError {
        file: file.clone(),
        told: Told::new(Key::ImpCannotRead, [crate::msg::io_detail(&e).into()]),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count();
        CampaignError {
            file: file.clone(),
            told: said(Key::CampaignNotUtf8, [line.to_string()]),
        }
    })?;
    parse(&text, &file)
}

/// Parses and checks campaign TOML; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Campaign, CampaignError> {
    let err = |told: Told| CampaignError {
        file: file.to_string(),
        told,
    };
    let mut campaign: Campaign = toml::from_str(text)
        .map_err(|e| err(toml_error(text, &e, Key::CampTomlAt, Key::CampToml)))?;
    clean_texts(&mut campaign);
    if let Some(council) = &mut campaign.council {
        clean_council(council);
    }
    validate(&campaign).map_err(err)?;
    validate_council(&campaign).map_err(err)?;
    validate_rules(&campaign).map_err(|(told, path)| match line_of(text, &path) {
        Some(line) => err(on_line(line, told)),
        None => err(told),
    })?;
    validate_column_aliases(&campaign, text).map_err(err)?;
    Ok(campaign)
}

/// Every field name `[column_aliases]` may give column names for: the roster's, the
/// initiatives file's, the self-assessment's (`subject`, `criterion`, `value`, `evidence`,
/// `name`) and each criterion id (a wide self-assessment's criterion columns).
pub(crate) fn alias_fields(c: &Campaign) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let builtin = super::roster::FIELDS
        .iter()
        .chain(super::initiatives::FIELDS.iter())
        .map(|f| f.name.to_string())
        .chain(super::self_assessment::alias_fields(c));
    for name in builtin {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// `[column_aliases]`: each key must name a field some import reads, and each alias must have
/// a letter or digit; refused with the key's line and the accepted names.
fn validate_column_aliases(c: &Campaign, text: &str) -> Result<(), Told> {
    let accepted = alias_fields(c);
    for (name, aliases) in &c.column_aliases {
        let place = || ["[column_aliases]".into(), key(name)];
        let told = if !accepted.contains(name) {
            at(place(), said(Key::CampAliasUnknown, [accepted.join(", ")]))
        } else if let Some(bad) = aliases.iter().find(|a| super::office::key(a).is_empty()) {
            at(place(), said(Key::CampAliasEmpty, [format!("{bad:?}")]))
        } else {
            continue;
        };
        return Err(match alias_line(text, name) {
            Some(line) => on_line(line, told),
            None => told,
        });
    }
    Ok(())
}

/// Each tier's `aliases`: a letter or digit in each, and no word naming two tiers (by id,
/// name or alias, compared as a roster compares them).
fn validate_tier_words(c: &Campaign) -> Result<(), Told> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for t in &c.tiers {
        let place = || [tier(&t.id), key("aliases")];
        if let Some(bad) = t
            .aliases
            .iter()
            .find(|a| super::roster::tier_key(a).is_empty())
        {
            return Err(at(place(), said(Key::CampAliasEmpty, [format!("{bad:?}")])));
        }
        let own: Vec<(String, &String)> = [&t.id, &t.name_vi, &t.name_en]
            .into_iter()
            .chain(&t.aliases)
            .map(|w| (super::roster::tier_key(w), w))
            .collect();
        for (k, word) in own {
            if let Some((_, other)) = seen.iter().find(|(s, id)| *s == k && *id != t.id) {
                return Err(at(
                    place(),
                    said(
                        Key::CampTierWordTwice,
                        [format!("{word:?}"), other.to_string()],
                    ),
                ));
            }
            seen.push((k, &t.id));
        }
    }
    Ok(())
}

/// The line of `key` inside the `[column_aliases]` table.
fn alias_line(text: &str, key: &str) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let (_, table) = doc
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == "column_aliases")?;
    let DeValue::Table(t) = table.get_ref() else {
        return None;
    };
    let (k, _) = t.iter().find(|(k, _)| k.get_ref().as_ref() == key)?;
    let start = k.span().start;
    Some(1 + text[..start].bytes().filter(|b| *b == b'\n').count())
}

/// A step on the way to a value in the TOML document: a key or an index in an array.
enum Seg {
    Key(&'static str),
    At(usize),
}

/// The 1-based line of the value at `path`, found in the spanned parse of `text`.
fn line_of(text: &str, path: &[Seg]) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let mut value: Option<&toml::Spanned<DeValue<'_>>> = None;
    let mut table = Some(doc.get_ref());
    for seg in path {
        let next = match (seg, table, value.map(|v| v.get_ref())) {
            (Seg::Key(k), Some(t), _) => t
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == *k)
                .map(|(_, v)| v)?,
            (Seg::At(i), None, Some(DeValue::Array(a))) => a.get(*i)?,
            _ => return None,
        };
        table = match next.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
        value = Some(next);
    }
    let start = value?.span().start;
    Some(1 + text[..start].bytes().filter(|b| *b == b'\n').count())
}

/// The rules about points, ids and tiers, each naming the key it refuses.
fn validate_rules(c: &Campaign) -> Result<(), (Told, Vec<Seg>)> {
    use crate::domain::outcome::points_max;
    for (gi, g) in c.groups.iter().enumerate() {
        let at = |key| vec![Seg::Key("group"), Seg::At(gi), Seg::Key(key)];
        if let Some(total) = g.qualifying_total {
            let max = points_max(g);
            if total == 0 || crate::domain::Points::whole(total) > max {
                return Err((
                    self::at(
                        [group(&g.id), key("qualifying_total")],
                        said(Key::CampTotalRange, [total.to_string(), max.to_string()]),
                    ),
                    at("qualifying_total"),
                ));
            }
        }
        for (ci, cr) in g.criteria.iter().enumerate() {
            let at = |key| {
                vec![
                    Seg::Key("group"),
                    Seg::At(gi),
                    Seg::Key("criterion"),
                    Seg::At(ci),
                    Seg::Key(key),
                ]
            };
            let id_ok = (1..=16).contains(&cr.id.len())
                && cr
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"_.-".contains(&b));
            if !id_ok {
                return Err((
                    self::at(
                        [group(&g.id), key("criterion.id")],
                        said(Key::CampCriterionIdBad, [format!("{:?}", cr.id)]),
                    ),
                    at("id"),
                ));
            }
            let points = matches!(cr.scale, Scale::Points(_));
            let place = |k: &str| [group(&g.id), criterion(&cr.id), key(k)];
            for (k, set) in [("step", cr.step.is_some()), ("min", cr.min.is_some())] {
                if set && !points {
                    return Err((self::at(place(k), Told::plain(Key::CampPointsOnly)), at(k)));
                }
            }
            if cr.step.is_some_and(|s| s.hundredths() == 0) {
                return Err((
                    self::at(place("step"), Told::plain(Key::CampAboveZero)),
                    at("step"),
                ));
            }
            if let (Some(min), Scale::Points(max)) = (cr.min, cr.scale)
                && (min > crate::domain::Points::whole(max) || !cr.required)
            {
                return Err((
                    self::at(place("min"), said(Key::CampMinNeeds, [max.to_string()])),
                    at("min"),
                ));
            }
        }
    }
    // A tier may not be its own ancestor through other tiers (a tier listing itself, units
    // nesting in units, is allowed: the roster's own parent chain is checked at import).
    for (ti, t) in c.tiers.iter().enumerate() {
        let mut seen = HashSet::new();
        let mut todo: Vec<&str> = t
            .parents
            .iter()
            .map(String::as_str)
            .filter(|p| *p != t.id)
            .collect();
        while let Some(p) = todo.pop() {
            if p == t.id {
                return Err((
                    at(
                        [tier(&t.id), key("parents")],
                        said(Key::CampTierCycle, [format!("{:?}", t.id)]),
                    ),
                    vec![Seg::Key("tier"), Seg::At(ti), Seg::Key("parents")],
                ));
            }
            if seen.insert(p)
                && let Some(pt) = c.tier(p)
            {
                todo.extend(
                    pt.parents
                        .iter()
                        .map(String::as_str)
                        .filter(|q| *q != pt.id),
                );
            }
        }
    }
    Ok(())
}

fn clean_texts(c: &mut Campaign) {
    use crate::text::clean;
    for s in [&mut c.title_vi, &mut c.title_en] {
        *s = clean(s);
    }
    for t in &mut c.tiers {
        t.name_vi = clean(&t.name_vi);
        t.name_en = clean(&t.name_en);
        for a in &mut t.aliases {
            *a = clean(a);
        }
    }
    for g in &mut c.groups {
        g.name_vi = clean(&g.name_vi);
        g.name_en = clean(&g.name_en);
        for cr in &mut g.criteria {
            for s in [
                &mut cr.title_vi,
                &mut cr.title_en,
                &mut cr.description_vi,
                &mut cr.description_en,
            ] {
                *s = clean(s);
            }
            for a in cr.areas_vi.iter_mut().chain(cr.areas_en.iter_mut()) {
                *a = clean(a);
            }
        }
    }
}

fn validate(c: &Campaign) -> Result<(), Told> {
    if c.format != FORMAT {
        return Err(at(
            [key("format")],
            said(
                Key::CampFormat,
                [FORMAT.to_string(), format!("{:?}", c.format)],
            ),
        ));
    }
    if c.version != VERSION {
        return Err(at(
            [key("version")],
            said(
                Key::CampVersion,
                [VERSION.to_string(), c.version.to_string()],
            ),
        ));
    }
    nonempty(&[key("id")], &c.id)?;
    nonempty(&[key("title_vi")], &c.title_vi)?;
    nonempty(&[key("title_en")], &c.title_en)?;
    too_long(&[key("title_vi")], &c.title_vi, MAX_TITLE)?;
    too_long(&[key("title_en")], &c.title_en, MAX_TITLE)?;
    for t in &c.tiers {
        too_long(&[tier(&t.id), key("name_vi")], &t.name_vi, MAX_TITLE)?;
        too_long(&[tier(&t.id), key("name_en")], &t.name_en, MAX_TITLE)?;
    }
    validate_tier_words(c)?;
    if c.period.start > c.period.end {
        return Err(Told::plain(Key::CampPeriodBackwards));
    }
    let mut deadlines = HashSet::new();
    for d in &c.deadlines {
        if !deadlines.insert(d.id.as_str()) {
            return Err(at(
                [key("deadline.id")],
                said(Key::CampListedTwice, [format!("{:?}", d.id)]),
            ));
        }
    }
    let mut groups = HashSet::new();
    let mut criteria = HashSet::new();
    for g in &c.groups {
        if !groups.insert(g.id.as_str()) {
            return Err(at(
                [key("group.id")],
                said(Key::CampListedTwice, [format!("{:?}", g.id)]),
            ));
        }
        if g.criteria.is_empty() {
            return Err(said(Key::CampNoCriterion, [format!("{:?}", g.id)]));
        }
        let points = g
            .criteria
            .iter()
            .filter(|cr| matches!(cr.scale, Scale::Points(_)))
            .count();
        if points != 0 && points != g.criteria.len() {
            return Err(at([group(&g.id)], Told::plain(Key::CampMixedScales)));
        }
        match (points > 0, g.qualifying_total) {
            (true, None) => {
                return Err(said(Key::CampNoTotal, [format!("{:?}", g.id)]));
            }
            (false, Some(_)) => {
                return Err(at([group(&g.id)], Told::plain(Key::CampTotalPointsOnly)));
            }
            _ => {}
        }
        for cr in &g.criteria {
            let place = |k: &str| [group(&g.id), criterion(&cr.id), key(k)];
            if cr.id.trim().is_empty() {
                return Err(at([group(&g.id)], Told::plain(Key::CampCriterionNoId)));
            }
            if !criteria.insert(cr.id.as_str()) {
                return Err(at(place("id"), Told::plain(Key::CampIdTwice)));
            }
            for (k, v, max) in [
                ("title_vi", &cr.title_vi, MAX_TITLE),
                ("title_en", &cr.title_en, MAX_TITLE),
                ("description_vi", &cr.description_vi, MAX_DESCRIPTION),
                ("description_en", &cr.description_en, MAX_DESCRIPTION),
            ] {
                if v.is_empty() {
                    return Err(at(place(k), Told::plain(Key::CampEmpty)));
                }
                too_long(&place(k), v, max)?;
            }
            if cr.areas_vi.len() != cr.areas_en.len() {
                return Err(at(
                    place("areas_vi"),
                    said(
                        Key::CampAreas,
                        [cr.areas_vi.len().to_string(), cr.areas_en.len().to_string()],
                    ),
                ));
            }
            if let Scale::Points(0) = cr.scale {
                return Err(at(place("scale"), Told::plain(Key::CampPointsZero)));
            }
            if let Some(Hint::Deadline { field, deadline }) = &cr.hint {
                if field != "registered_on" {
                    return Err(at(
                        place("hint"),
                        said(Key::CampHintField, [format!("{field:?}")]),
                    ));
                }
                if !deadlines.contains(deadline.as_str()) {
                    return Err(at(
                        place("hint"),
                        said(Key::CampNoDeadline, [format!("{deadline:?}")]),
                    ));
                }
            }
        }
    }
    let tier_ids: HashSet<&str> = c.tiers.iter().map(|t| t.id.as_str()).collect();
    if tier_ids.len() != c.tiers.len() {
        return Err(at([key("tier.id")], Told::plain(Key::CampIdListedTwice)));
    }
    for t in &c.tiers {
        if !groups.contains(t.group.as_str()) {
            return Err(at(
                [tier(&t.id), key("group")],
                said(Key::CampNoGroup, [format!("{:?}", t.group)]),
            ));
        }
        for p in &t.parents {
            if !tier_ids.contains(p.as_str()) {
                return Err(at(
                    [tier(&t.id), key("parents")],
                    said(Key::CampNoTier, [format!("{p:?}")]),
                ));
            }
        }
    }
    if c.tiers.is_empty() {
        return Err(Told::plain(Key::CampNoTiers));
    }
    Ok(())
}

fn clean_council(c: &mut crate::domain::campaign::Council) {
    use crate::text::clean;
    for s in c
        .issuer
        .iter_mut()
        .chain(c.signer.iter_mut())
        .chain(c.copies_to.iter_mut())
        .chain([
            &mut c.name,
            &mut c.place,
            &mut c.signer_name,
            &mut c.preparer,
            &mut c.letter_symbol,
            &mut c.recipient,
            &mut c.reason,
        ])
    {
        *s = clean(s);
    }
    for a in &mut c.awards {
        a.name = clean(&a.name);
        a.reason = clean(&a.reason);
    }
}

/// The `[council]` section: every line present and short enough for a document's head, every
/// award naming known tiers and groups, and no tier proposed for two awards.
fn validate_council(c: &Campaign) -> Result<(), Told> {
    let Some(k) = &c.council else {
        return Ok(());
    };
    let council = |name: &str| [Part::from("[council]"), key(name)];
    let line = |name: &str, v: &str, max: usize| -> Result<(), Told> {
        if v.trim().is_empty() {
            return Err(empty(council(name)));
        }
        too_long(&council(name), v, max)
    };
    for (name, lines) in [("issuer", &k.issuer), ("signer", &k.signer)] {
        if lines.is_empty() || lines.len() > 3 {
            return Err(at(
                council(name),
                said(Key::CampLines, [lines.len().to_string()]),
            ));
        }
        for l in lines {
            line(name, l, MAX_HEAD_LINE)?;
        }
    }
    line("name", &k.name, MAX_TITLE)?;
    line("place", &k.place, MAX_HEAD_LINE)?;
    line("preparer", &k.preparer, MAX_HEAD_LINE)?;
    line("letter_symbol", &k.letter_symbol, MAX_HEAD_LINE)?;
    line("recipient", &k.recipient, MAX_TITLE)?;
    line("reason", &k.reason, MAX_TITLE)?;
    too_long(&council("signer_name"), &k.signer_name, MAX_HEAD_LINE)?;
    for l in &k.copies_to {
        line("copies_to", l, MAX_TITLE)?;
    }
    let tiers: HashSet<&str> = c.tiers.iter().map(|t| t.id.as_str()).collect();
    let groups: HashSet<&str> = c.groups.iter().map(|g| g.id.as_str()).collect();
    let mut covered: Vec<(&str, usize)> = Vec::new();
    for (n, a) in k.awards.iter().enumerate() {
        let here = || award(n + 1);
        if a.name.trim().is_empty() {
            return Err(empty([here(), key("name")]));
        }
        too_long(&[here(), key("name")], &a.name, MAX_TITLE)?;
        too_long(&[here(), key("reason")], &a.reason, MAX_TITLE)?;
        if a.tiers.is_empty() && a.groups.is_empty() {
            let named = super::table::cat([here(), format!(" ({:?})", a.name).into()]);
            return Err(at([named.into()], Told::plain(Key::CampAwardWhom)));
        }
        for t in &a.tiers {
            if !tiers.contains(t.as_str()) {
                return Err(at(
                    [here(), key("tiers")],
                    said(Key::CampNoTier, [format!("{t:?}")]),
                ));
            }
        }
        for g in &a.groups {
            if !groups.contains(g.as_str()) {
                return Err(at(
                    [here(), key("groups")],
                    said(Key::CampNoGroup, [format!("{g:?}")]),
                ));
            }
        }
        for t in &c.tiers {
            if a.tiers.contains(&t.id) || a.groups.contains(&t.group) {
                if let Some((_, first)) = covered.iter().find(|(id, _)| *id == t.id) {
                    return Err(at(
                        [here()],
                        said(
                            Key::CampAwardTwice,
                            [format!("{:?}", t.id), (first + 1).to_string()],
                        ),
                    ));
                }
                covered.push((t.id.as_str(), n));
            }
        }
    }
    Ok(())
}

/// Longest line of a document's head or signature block, in characters.
const MAX_HEAD_LINE: usize = 120;

/// Longest title or name, in characters: a screen row, generously.
const MAX_TITLE: usize = 500;
/// Longest criterion description, in characters.
const MAX_DESCRIPTION: usize = 20_000;

fn too_long(place: &[Part], v: &str, max: usize) -> Result<(), Told> {
    let n = v.chars().count();
    if n > max {
        Err(at(
            place.iter().cloned(),
            said(Key::CampTooLong, [n.to_string(), max.to_string()]),
        ))
    } else {
        Ok(())
    }
}

fn nonempty(place: &[Part], v: &str) -> Result<(), Told> {
    if v.trim().is_empty() {
        Err(empty(place.iter().cloned()))
    } else {
        Ok(())
    }
}

/// The bundled sample campaign, parsed.
pub fn sample() -> Campaign {
    parse(SAMPLE, "data/campaign.toml").expect("the bundled campaign is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample with its collective group turned into a points group (10 points each).
    fn points_sample() -> String {
        SAMPLE
            .replace(
                "name_en = \"Collectives\"\n",
                "name_en = \"Collectives\"\nqualifying_total = 80\n",
            )
            .replacen(
                "\nscale = \"pass_fail\"",
                "\nscale = { points = 10 }\nstep = 0.5",
                10,
            )
    }

    fn line_of_text(text: &str, needle: &str) -> usize {
        1 + text[..text.find(needle).expect("needle")]
            .matches('\n')
            .count()
    }

    #[test]
    fn a_points_campaign_loads_with_steps_and_knock_outs() {
        let text =
            points_sample().replacen("step = 0.5", "step = 0.5\nrequired = true\nmin = 5", 1);
        let c = parse(&text, "c.toml").expect("valid");
        let g = c.group("collective").expect("group");
        assert!(g.is_points());
        assert!(g.criteria[0].required);
        assert_eq!(g.criteria[0].min, Some(crate::domain::Points::whole(5)));
        assert_eq!(
            g.criteria[1].step,
            Some(crate::domain::Points::from_hundredths(50))
        );
    }

    #[test]
    fn column_aliases_keys_are_checked() {
        let base = points_sample();
        let good = format!(
            "{base}\n[column_aliases]\nparent = [\"Cơ quan chủ quản\"]\nTT1 = [\"Nhiệm vụ CCHC\"]\nvalue = [\"Điểm TĐG\"]\n"
        );
        let c = parse(&good, "c.toml").expect("known keys");
        assert_eq!(c.column_aliases.len(), 3);
        let bad =
            format!("{base}\n[column_aliases]\nparent = [\"x\"]\nparnet = [\"Trực thuộc\"]\n");
        let e = parse(&bad, "c.toml").expect_err("unknown key").to_string();
        let line = line_of_text(&bad, "\nparnet") + 1;
        assert!(
            e.starts_with(&format!(
                "c.toml: line {line}: [column_aliases], key `parnet`"
            )),
            "{e}"
        );
        assert!(
            e.contains("parent") && e.contains("registered_on") && e.contains("TT1"),
            "{e}"
        );
        let empty = format!("{base}\n[column_aliases]\nparent = [\" - \"]\n");
        assert!(parse(&empty, "c.toml").is_err());
    }

    #[test]
    fn a_tier_word_may_name_one_tier_only() {
        let bundled = include_str!("../../data/campaign.toml");
        assert!(parse(bundled, "c.toml").is_ok());
        let twice = bundled.replacen(
            "aliases = [\"Huyện\",",
            "aliases = [\"Cấp xã\", \"Huyện\",",
            1,
        );
        assert_ne!(twice, bundled);
        let e = parse(&twice, "c.toml").expect_err("refused").to_string();
        assert!(
            e.contains("tier \"commune\"") && e.contains("\"Xã\" already names tier district"),
            "{e}"
        );
    }

    #[test]
    fn refusals_name_file_line_and_key() {
        let base = points_sample();
        let too_high = base.replace("\nqualifying_total = 80", "\nqualifying_total = 101");
        let e = parse(&too_high, "c.toml").expect_err("above the maximum");
        let line = line_of_text(&too_high, "\nqualifying_total = 101") + 1;
        assert!(
            e.to_string().starts_with(&format!("c.toml: line {line}: ")),
            "{e}"
        );
        assert!(e.to_string().contains("`qualifying_total`"), "{e}");
        let zero = base.replace("\nqualifying_total = 80", "\nqualifying_total = 0");
        assert!(parse(&zero, "c.toml").is_err());

        let bad_id = base.replace("id = \"TT2\"", "id = \"tt 2\"");
        let e = parse(&bad_id, "c.toml").expect_err("bad id").to_string();
        let line = line_of_text(&bad_id, "\nid = \"tt 2\"") + 1;
        assert!(
            e.contains(&format!("line {line}: ")) && e.contains("`criterion.id`"),
            "{e}"
        );

        let cycle = base.replace(
            "group = \"collective\"\nparents = []\n\n[[tier]]\nid = \"province_unit\"",
            "group = \"collective\"\nparents = [\"province_unit\"]\n\n[[tier]]\nid = \"province_unit\"",
        );
        assert_ne!(cycle, base);
        let e = parse(&cycle, "c.toml").expect_err("cycle").to_string();
        assert!(
            e.contains("cycle") && e.contains("`parents`") && e.contains("line "),
            "{e}"
        );
    }
}
