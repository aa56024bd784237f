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
