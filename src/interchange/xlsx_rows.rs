//! Hidden rows of an XLSX sheet. calamine reads cell values but not row properties, so the
//! sheet's XML is read here: the workbook names each sheet's part through a relationship, and
//! a hidden row is `<row r="7" hidden="1">` in that part.

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;

/// The 1-based numbers of the hidden rows of the sheet named `sheet`.
pub(crate) fn hidden_rows(path: &Path, sheet: &str) -> Result<Vec<u32>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
    let workbook = part(&mut zip, "xl/workbook.xml")?;
    let Some(rel_id) = sheet_rel_id(&workbook, sheet)? else {
        return Ok(Vec::new());
    };
    let rels = part(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let Some(target) = rel_target(&rels, &rel_id)? else {
        return Ok(Vec::new());
    };
    let target = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let xml = part(&mut zip, &target)?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut hidden = Vec::new();
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?
        {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                let mut number = None;
                let mut is_hidden = false;
                for a in e.attributes().flatten() {
                    match a.key.local_name().as_ref() {
                        "r" => number = a.value.trim().parse().ok(),
                        "hidden" => is_hidden = matches!(a.value.as_ref(), "1" | "true"),
                        _ => {}
                    }
                }
                if is_hidden && let Some(n) = number {
                    hidden.push(n);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(hidden)
}

fn part(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Result<Vec<u8>, String> {
    let mut f = zip.by_name(name).map_err(|e| format!("part {name}: {e}"))?;
    let mut out = Vec::new();
    f.read_to_end(&mut out)
        .map_err(|e| format!("part {name}: {e}"))?;
    Ok(out)
}

/// The relationship id of the sheet named `sheet` in workbook.xml.
fn sheet_rel_id(xml: &[u8], sheet: &str) -> Result<Option<String>, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?
        {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let mut name = None;
                let mut id = None;
                for a in e.attributes().flatten() {
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| e.to_string())?
                        .into_owned();
                    match (a.key.prefix().is_some(), a.key.local_name().as_ref()) {
                        (false, "name") => name = Some(value),
                        (true, "id") => id = Some(value),
                        _ => {}
                    }
                }
                if name.as_deref() == Some(sheet) {
                    return Ok(id);
                }
            }
            Event::Eof => return Ok(None),
            _ => {}
        }
        buf.clear();
    }
}

/// The target of relationship `id` in workbook.xml.rels.
fn rel_target(xml: &[u8], id: &str) -> Result<Option<String>, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?
        {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let mut rid = None;
                let mut target = None;
                for a in e.attributes().flatten() {
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| e.to_string())?
                        .into_owned();
                    match a.key.local_name().as_ref() {
                        "Id" => rid = Some(value),
                        "Target" => target = Some(value),
                        _ => {}
                    }
                }
                if rid.as_deref() == Some(id) {
                    return Ok(target);
                }
            }
            Event::Eof => return Ok(None),
            _ => {}
        }
        buf.clear();
    }
}
