//! Property: header detection never imports a title or footer row as data. Random office CSV
//! files (any separator; a title block of 0–8 rows whose cells may include single column
//! names; a header with the columns in any order, under any accepted name, with or without
//! STT; data rows; an empty row; a signature block) give back exactly the data rows.

use std::collections::BTreeMap;

use proptest::prelude::*;
use thidua::interchange::office::{self, Matcher};
use thidua::interchange::{roster, table};

const TITLE_WORDS: [&str; 12] = [
    "UBND TỈNH AN GIANG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "SỞ NỘI VỤ",
    "DANH SÁCH ĐƠN VỊ THAM GIA THI ĐUA",
    "Mã",
    "Tên đơn vị",
    "Cấp",
    "(Kèm theo Kế hoạch số 443/KH-UBND)",
    "Số: 12/DS-SNV",
    "An Giang, ngày 21 tháng 7 năm 2021",
    "STT",
];

const FOOTER_WORDS: [&str; 8] = [
    "Người lập biểu",
    "Thủ trưởng đơn vị",
    "(Ký, ghi rõ họ tên)",
    "Nguyễn Văn A",
    "Trần Thị B",
    "Nơi nhận:",
    "- Lưu: VT",
    "district",
];

/// Column names per field (id, name, tier, parent).
const NAMES: [&[&str]; 4] = [
    &["id", "Mã", "Mã đơn vị", "Mã số", "Mã ĐVHC", "MA DVHC"],
    &["name", "Tên", "Tên đơn vị", "Họ và tên", "ho ten"],
    &["tier", "Cấp", "Loại", "Đối tượng"],
    &["parent", "Đơn vị cấp trên", "Trực thuộc", "Đơn vị"],
];

fn quote(cell: &str, sep: char) -> String {
    if cell.contains(sep) || cell.contains('"') || cell.contains('\n') {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[derive(Debug, Clone)]
struct Office {
    sep: char,
    title: Vec<Vec<usize>>,
    order: Vec<usize>,
    names: Vec<usize>,
    stt: bool,
    data: usize,
    footer: Vec<Vec<usize>>,
    footer_offset: usize,
}

fn office() -> impl Strategy<Value = Office> {
    (
        prop::sample::select(vec![',', ';', '\t']),
        prop::collection::vec(prop::collection::vec(0..TITLE_WORDS.len(), 0..3), 0..9),
        Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        prop::collection::vec(0usize..6, 4),
        any::<bool>(),
        1usize..40,
        prop::collection::vec(prop::collection::vec(0..FOOTER_WORDS.len(), 1..3), 0..6),
        0usize..4,
    )
        .prop_map(
            |(sep, title, order, names, stt, data, footer, footer_offset)| Office {
                sep,
                title,
                order,
                names,
                stt,
                data,
                footer,
                footer_offset,
            },
        )
}

fn render(o: &Office) -> (String, Vec<String>, usize) {
    let width = 4 + usize::from(o.stt);
    let mut lines = Vec::new();
    let line = |cells: Vec<String>| -> String {
        let mut cells = cells;
        cells.resize(width, String::new());
        cells
            .iter()
            .map(|c| quote(c, o.sep))
            .collect::<Vec<_>>()
            .join(&o.sep.to_string())
    };
    for t in &o.title {
        lines.push(line(
            t.iter().map(|i| TITLE_WORDS[*i].to_string()).collect(),
        ));
    }
    let mut header = Vec::new();
    if o.stt {
        header.push("STT".to_string());
    }
    for f in &o.order {
        let names = NAMES[*f];
        header.push(names[o.names[*f] % names.len()].to_string());
    }
    lines.push(line(header));
    let mut ids = Vec::new();
    for n in 0..o.data {
        let id = format!("U{n}");
        let values = [
            id.clone(),
            format!("Đơn vị {n}, thử"),
            "district".to_string(),
            String::new(),
        ];
        let mut cells = Vec::new();
        if o.stt {
            cells.push((n + 1).to_string());
        }
        for f in &o.order {
            cells.push(values[*f].clone());
        }
        lines.push(line(cells));
        ids.push(id);
    }
    lines.push(line(Vec::new()));
    let mut footers = 0;
    for (i, f) in o.footer.iter().enumerate() {
        // Footer cells start at a varying column and never fill both id and tier.
        let mut cells = vec![String::new(); o.footer_offset.min(width - 1)];
        cells.extend(f.iter().map(|i| FOOTER_WORDS[*i].to_string()));
        cells.truncate(width);
        let id_col = usize::from(o.stt) + o.order.iter().position(|f| *f == 0).unwrap_or(0);
        let tier_col = usize::from(o.stt) + o.order.iter().position(|f| *f == 2).unwrap_or(0);
        let filled = |c: usize| cells.get(c).is_some_and(|v| !v.trim().is_empty());
        if filled(id_col) && filled(tier_col) {
            cells[id_col].clear();
        }
        if i % 2 == 1 {
            lines.push(line(Vec::new()));
        }
        if cells.iter().any(|c| !c.trim().is_empty()) {
            footers += 1;
        }
        lines.push(line(cells));
    }
    (lines.join("\r\n") + "\r\n", ids, footers)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn header_detection_never_imports_a_title_or_footer_row(o in office()) {
        let (csv, ids, footers) = render(&o);
        let matcher = Matcher::new(roster::SPEC, &BTreeMap::new());
        let sheet = table::read_csv("p.csv", csv.as_bytes(), &|r| matcher.finds_header(r))
            .expect("reads");
        prop_assert_eq!(sheet.separator, Some(o.sep));
        let t = office::locate(sheet, &matcher).expect("finds the table");
        let got: Vec<String> = t.rows.iter().map(|r| r.cells[0].clone()).collect();
        prop_assert_eq!(&got, &ids);
        prop_assert!(t.rows.iter().all(|r| r.cells[2] == "district"));
        let titles = o.title.len() as u64;
        prop_assert_eq!(t.layout.title_rows, (titles > 0).then_some((1, titles)));
        prop_assert_eq!(t.layout.ignored_rows.len(), footers);
    }
}

// The same property for every office file kind (roster, initiatives, self-assessment in the
// long and the wide shape), as CSV with any separator or as XLSX: a title block whose rows
// may be merged across the table (XLSX) or repeat one text over every cell (how a merged
// title reads once unmerged), single column names and random notes in it; a header under any
// accepted names in any order, with or without STT; data rows; an empty row; a signature
// block (merged or not) with random notes, never filling both of the columns that make a row
// below the gap part of the table.

/// One kind of office file: its columns (accepted names, a data value for row `n`), which
/// columns make a row below the gap part of the table, and how it is read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Roster,
    Initiatives,
    Long,
    Wide,
}

type Column = (&'static [&'static str], fn(usize) -> String);

impl Kind {
    fn columns(self) -> Vec<Column> {
        match self {
            Kind::Roster => vec![
                (
                    &["Mã", "Mã đơn vị", "Mã số", "Mã ĐVHC", "id"],
                    |n| format!("U{n}"),
                ),
                (
                    &["Tên", "Tên đơn vị", "Họ và tên", "Họ tên"],
                    |n| format!("Đơn vị {n}, thử"),
                ),
                (&["Cấp", "Loại", "Đối tượng"], |_| {
                    "district".into()
                }),
                (&["Đơn vị cấp trên", "Trực thuộc"], |_| {
                    String::new()
                }),
                (&["Ngày đăng ký thi đua", "Ngày đăng ký"], |n| {
                    format!("{:02}/08/2021", 1 + n % 28)
                }),
            ],
            Kind::Initiatives => vec![
                (&["Mã", "Mã sáng kiến", "Mã số"], |n| {
                    format!("SK{n}")
                }),
                (&["Tên sáng kiến", "Tên đề tài", "Title"], |n| {
                    format!("Sáng kiến số {n}")
                }),
                (&["Mã đơn vị", "Chủ sở hữu", "Owner"], |_| {
                    "D01".into()
                }),
                (&["Ngày nộp", "Submitted on"], |n| {
                    format!("{:02}/03/2021", 1 + n % 28)
                }),
                (&["Trạng thái", "Status"], |_| String::new()),
            ],
            Kind::Long => vec![
                (&["Mã", "Mã đơn vị", "Đơn vị"], |n| {
                    format!("U{n}")
                }),
                (&["Tiêu chí", "Mã tiêu chí"], |n| {
                    format!("TT{}", 1 + n % 10)
                }),
                (
                    &["Tự đánh giá", "Kết quả tự đánh giá", "Tự chấm"],
                    |_| "Đạt".into(),
                ),
                (&["Tài liệu kiểm chứng", "Minh chứng"], |n| {
                    format!("Báo cáo {n}/BC")
                }),
            ],
            Kind::Wide => vec![
                (&["Mã", "Mã đơn vị", "Mã số"], |n| format!("U{n}")),
                (&["Tên đơn vị", "Họ và tên"], |n| {
                    format!("Đơn vị {n}")
                }),
                (&["Tài liệu kiểm chứng", "Minh chứng"], |n| {
                    format!("BC {n}")
                }),
                (&["TT1"], |_| "Đạt".into()),
                (&["TT2"], |_| "x".into()),
                (&["TT3"], |n| (n % 11).to_string()),
            ],
        }
    }

    /// The two columns (indexes into `columns`) that make a row below the gap a gap.
    fn gap(self) -> [usize; 2] {
        match self {
            Kind::Roster => [0, 2],
            Kind::Initiatives => [0, 2],
            Kind::Long => [0, 1],
            Kind::Wide => [0, 1],
        }
    }
}

/// A title or footer cell: a fixed text, or a note with random words.
#[derive(Debug, Clone)]
enum Text {
    Title(usize),
    Footer(usize),
    Note(String),
}

impl Text {
    fn get(&self) -> String {
        match self {
            Text::Title(i) => TITLE_WORDS[*i].to_string(),
            Text::Footer(i) => FOOTER_WORDS[*i].to_string(),
            // "Ghi chú" keeps a note from ever being a column name.
            Text::Note(s) => format!("Ghi chú: {s}"),
        }
    }
}

#[derive(Debug, Clone)]
struct AnyOffice {
    kind: Kind,
    /// None: XLSX.
    sep: Option<char>,
    /// Title rows: their cells, and whether the row is one merged (or repeated) text.
    title: Vec<(Vec<Text>, bool)>,
    order: Vec<usize>,
    names: Vec<usize>,
    stt: bool,
    data: usize,
    footer: Vec<(Vec<Text>, bool)>,
    footer_offset: usize,
}

fn text(titles: bool) -> impl Strategy<Value = Text> {
    let fixed = if titles {
        (0..TITLE_WORDS.len()).prop_map(Text::Title).boxed()
    } else {
        (0..FOOTER_WORDS.len()).prop_map(Text::Footer).boxed()
    };
    prop_oneof![
        3 => fixed,
        1 => "[a-zA-Z0-9ăâđêôơưáàảãạếềểễệ ,.:/()-]{0,24}".prop_map(Text::Note),
    ]
}

fn any_office() -> impl Strategy<Value = AnyOffice> {
    (
        prop::sample::select(vec![
            Kind::Roster,
            Kind::Initiatives,
            Kind::Long,
            Kind::Wide,
        ]),
        prop::sample::select(vec![Some(','), Some(';'), Some('\t'), None]),
        prop::collection::vec(
            (prop::collection::vec(text(true), 0..3), any::<bool>()),
            0..8,
        ),
        any::<u64>(),
        prop::collection::vec(0usize..5, 6),
        any::<bool>(),
        1usize..25,
        prop::collection::vec(
            (prop::collection::vec(text(false), 1..3), any::<bool>()),
            0..5,
        ),
        0usize..4,
    )
        .prop_map(
            |(kind, sep, title, shuffle, names, stt, data, footer, footer_offset)| {
                let width = kind.columns().len();
                // A permutation of the columns from the seed.
                let mut order: Vec<usize> = (0..width).collect();
                let mut s = shuffle;
                for i in (1..width).rev() {
                    s = s
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    order.swap(i, (s >> 33) as usize % (i + 1));
                }
                AnyOffice {
                    kind,
                    sep,
                    title,
                    order,
                    names,
                    stt,
                    data,
                    footer,
                    footer_offset,
                }
            },
        )
}

/// A row of a generated file: its cells, and whether it is one merged text.
type Line = (Vec<String>, bool);

/// The file's rows (cells as text; a merged row is its text in the first cell, flagged), the
/// ids of the data rows, and the number of non-empty rows below the table.
fn any_rows(o: &AnyOffice) -> (Vec<Line>, Vec<String>, usize) {
    let columns = o.kind.columns();
    let width = columns.len() + usize::from(o.stt);
    let mut rows: Vec<Line> = Vec::new();
    for (cells, merged) in &o.title {
        let mut cells: Vec<String> = cells.iter().map(Text::get).collect();
        let merged = *merged && !cells.is_empty();
        if merged {
            cells.truncate(1);
        }
        rows.push((cells, merged));
    }
    let mut header = Vec::new();
    if o.stt {
        header.push("STT".to_string());
    }
    for c in &o.order {
        let names = columns[*c].0;
        header.push(names[o.names[*c] % names.len()].to_string());
    }
    rows.push((header, false));
    let mut ids = Vec::new();
    for n in 0..o.data {
        let mut cells = Vec::new();
        if o.stt {
            cells.push((n + 1).to_string());
        }
        for c in &o.order {
            cells.push((columns[*c].1)(n));
        }
        ids.push((columns[0].1)(n));
        rows.push((cells, false));
    }
    rows.push((Vec::new(), false));
    let col_of = |c: usize| usize::from(o.stt) + o.order.iter().position(|x| *x == c).unwrap_or(0);
    let [g1, g2] = o.kind.gap().map(col_of);
    let mut footers = 0;
    for (i, (cells, merged)) in o.footer.iter().enumerate() {
        let mut row = vec![String::new(); o.footer_offset.min(width - 1)];
        row.extend(cells.iter().map(Text::get));
        row.truncate(width);
        let filled = |r: &[String], c: usize| r.get(c).is_some_and(|v| !v.trim().is_empty());
        if filled(&row, g1) && filled(&row, g2) {
            row[g1].clear();
        }
        if i % 2 == 1 {
            rows.push((Vec::new(), false));
        }
        let non_empty = row.iter().any(|c| !c.trim().is_empty());
        if non_empty {
            footers += 1;
        }
        // A merged signature line: its text in its first cell, merged to the right.
        let first = row.iter().position(|c| !c.trim().is_empty());
        let merged = *merged && non_empty && first.is_some_and(|f| f + 1 < width);
        rows.push((row, merged));
    }
    (rows, ids, footers)
}

/// Writes the rows as CSV with `sep` (a merged title's text repeated over every cell, as a
/// merged range reads once unmerged and filled; a merged signature line's text in its first
/// cell, as Excel leaves it unmerged) or as XLSX (a merged row merged across the width).
fn write_office(o: &AnyOffice, rows: &[Line], path: &std::path::Path) {
    let width = o.kind.columns().len() + usize::from(o.stt);
    match o.sep {
        Some(sep) => {
            let mut out = String::new();
            for (i, (cells, merged)) in rows.iter().enumerate() {
                let mut cells = cells.clone();
                // Only a title's text is repeated: a signature line repeated over the id and
                // tier columns is a row of the table's columns, refused as a gap.
                let title = i < o.title.len();
                if *merged
                    && title
                    && let Some(f) = cells.iter().position(|c| !c.trim().is_empty())
                {
                    let t = cells[f].clone();
                    cells = vec![String::new(); f];
                    cells.resize(width, t);
                }
                cells.resize(width, String::new());
                let line: Vec<String> = cells.iter().map(|c| quote(c, sep)).collect();
                out.push_str(&line.join(&sep.to_string()));
                out.push_str("\r\n");
            }
            std::fs::write(path, out).expect("write csv");
        }
        None => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for (r, (cells, merged)) in rows.iter().enumerate() {
                let r = r as u32;
                let first = cells.iter().position(|c| !c.trim().is_empty());
                match (merged, first) {
                    (true, Some(f)) => {
                        sheet
                            .merge_range(r, f as u16, r, width as u16 - 1, &cells[f], &bold)
                            .expect("merge");
                    }
                    _ => {
                        for (c, v) in cells.iter().enumerate() {
                            if !v.is_empty() {
                                sheet.write_string(r, c as u16, v).expect("cell");
                            }
                        }
                    }
                }
            }
            book.save(path).expect("save xlsx");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn no_office_file_kind_imports_a_title_or_footer_row(o in any_office()) {
        let (rows, ids, footers) = any_rows(&o);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(if o.sep.is_some() { "f.csv" } else { "f.xlsx" });
        write_office(&o, &rows, &path);
        let campaign = thidua::interchange::campaign::sample();
        let options = thidua::interchange::plan::Options::default();
        let t = match o.kind {
            Kind::Roster => roster::read(&path, &campaign, &options).expect("roster table"),
            Kind::Initiatives => thidua::interchange::initiatives::read(&path, &campaign, &options)
                .expect("initiatives table"),
            Kind::Long | Kind::Wide => {
                let read = thidua::interchange::self_assessment::read(&path, &campaign, &options)
                    .map_err(|e| format!("{e:?}"))
                    .expect("self-assessment table");
                let long = matches!(read.shape, thidua::interchange::self_assessment::Shape::Long { .. });
                prop_assert_eq!(long, o.kind == Kind::Long);
                read.table
            }
        };
        let got: Vec<String> = t.rows.iter().map(|r| r.cells[0].clone()).collect();
        prop_assert_eq!(&got, &ids);
        let titles = o.title.len() as u64;
        prop_assert_eq!(t.layout.title_rows, (titles > 0).then_some((1, titles)));
        prop_assert_eq!(t.layout.ignored_rows.len(), footers);
        if let Some(sep) = o.sep {
            prop_assert_eq!(t.layout.separator, Some(sep));
        }
    }
}
