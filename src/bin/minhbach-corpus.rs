//! `minhbach-corpus`: a generated site of N wards × D documents in minhbach's real
//! content format, for benchmarks and scale tests.
//!
//! Deterministic from `--seed` (a fixed small PRNG, not a crate whose stream may change
//! between versions): the same arguments always give the same files. Provinces hold
//! districts, districts hold wards; every ward has a resolution with 10–25 targets drawn
//! from ~30 shared indicators, and its other documents restate targets or report
//! results linked to them, so every code path of a real site runs.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const SYLLABLES: &[&str] = &[
    "An", "Bình", "Cường", "Dương", "Đông", "Đức", "Giang", "Hà", "Hải", "Hòa", "Hưng", "Khánh", "Lạc", "Long", "Minh",
    "Nam", "Nghĩa", "Phú", "Phước", "Quang", "Sơn", "Tân", "Thạnh", "Thành", "Thịnh", "Thủy", "Tiến", "Trung", "Vĩnh",
    "Xuân", "Yên", "Mỹ", "Lộc", "Phổ", "Hiệp", "Định", "Hồng", "Kim", "Liên", "Ngọc",
];

const SURNAMES: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"];
const GIVEN: &[&str] = &["Văn Hùng", "Thị Lan", "Minh Tuấn", "Thị Hồng", "Quốc Bảo", "Thanh Hà", "Đức Anh", "Thị Mai"];

/// (key, name, unit, direction, field, op, low, high, per_year)
type IndicatorSpec =
    (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, f64, f64, bool);
const INDICATORS: &[IndicatorSpec] = &[
    ("thu-ngan-sach", "Thu ngân sách vượt dự toán", "%", "higher", "kinh-te", ">=", 3.0, 8.0, true),
    ("phan-loai-rac", "Hộ phân loại rác tại nguồn", "%", "higher", "kinh-te", ">=", 60.0, 95.0, false),
    ("thu-gom-rac", "Chất thải rắn được thu gom, xử lý", "%", "higher", "kinh-te", "=", 100.0, 100.0, false),
    ("tram-lap-gieng", "Giếng khoan được trám lấp", "giếng khoan", "higher", "kinh-te", ">=", 100.0, 900.0, false),
    ("nang-cap-hem", "Tuyến hẻm được nâng cấp", "tuyến hẻm", "higher", "kinh-te", ">=", 3.0, 15.0, false),
    ("doanh-nghiep-moi", "Doanh nghiệp thành lập mới", "doanh nghiệp", "higher", "kinh-te", ">=", 10.0, 80.0, true),
    ("ho-ngheo", "Tỷ lệ hộ nghèo", "%", "lower", "van-hoa-xa-hoi", "<", 0.5, 3.0, false),
    ("that-nghiep", "Tỷ lệ thất nghiệp", "%", "lower", "van-hoa-xa-hoi", "<", 1.5, 4.0, false),
    ("dan-so", "Tỷ lệ tăng dân số tự nhiên", "%", "lower", "van-hoa-xa-hoi", "<", 0.8, 1.3, false),
    ("tiem-chung", "Tiêm chủng mở rộng", "%", "higher", "van-hoa-xa-hoi", ">", 90.0, 98.0, false),
    ("bhyt", "Tỷ lệ người dân tham gia bảo hiểm y tế", "%", "higher", "van-hoa-xa-hoi", ">", 85.0, 97.0, false),
    ("bhxh", "Bảo hiểm xã hội bắt buộc", "%", "higher", "van-hoa-xa-hoi", ">=", 60.0, 85.0, false),
    ("gia-dinh-van-hoa", "Gia đình văn hóa", "%", "higher", "van-hoa-xa-hoi", ">=", 85.0, 96.0, true),
    ("khu-pho-van-hoa", "Khu phố văn hóa", "%", "higher", "van-hoa-xa-hoi", ">=", 70.0, 100.0, true),
    ("hoc-hai-buoi", "Học sinh tiểu học học 2 buổi/ngày", "%", "higher", "van-hoa-xa-hoi", ">=", 60.0, 100.0, false),
    ("lao-dong-dao-tao", "Lao động qua đào tạo", "%", "higher", "van-hoa-xa-hoi", ">=", 50.0, 80.0, false),
    ("truong-chuan", "Trường đạt chuẩn quốc gia", "trường", "higher", "van-hoa-xa-hoi", ">=", 1.0, 5.0, false),
    ("giao-quan", "Hoàn thành chỉ tiêu giao quân", "%", "higher", "quoc-phong-an-ninh", "=", 100.0, 100.0, true),
    ("pham-phap", "Số vụ phạm pháp hình sự", "vụ/10.000 dân", "lower", "quoc-phong-an-ninh", "<", 3.0, 8.0, false),
    ("kham-pha-an", "Tỷ lệ khám phá án", "%", "higher", "quoc-phong-an-ninh", ">", 70.0, 90.0, false),
    (
        "to-an-toan",
        "Tổ dân phố an toàn về an ninh trật tự",
        "%",
        "higher",
        "quoc-phong-an-ninh",
        ">=",
        80.0,
        100.0,
        false,
    ),
    ("tai-nan", "Số vụ tai nạn giao thông giảm", "%", "higher", "quoc-phong-an-ninh", ">=", 5.0, 15.0, true),
    ("ket-nap-dang-vien", "Kết nạp đảng viên mới", "đảng viên", "higher", "xay-dung-dang", ">=", 5.0, 20.0, true),
    ("dang-vien-hoan-thanh", "Đảng viên hoàn thành nhiệm vụ", "%", "higher", "xay-dung-dang", ">", 90.0, 98.0, true),
    ("chi-bo-hoan-thanh", "Chi bộ hoàn thành nhiệm vụ", "%", "higher", "xay-dung-dang", "=", 100.0, 100.0, true),
    ("kiem-tra-giam-sat", "Chi bộ được kiểm tra, giám sát", "%", "higher", "xay-dung-dang", "=", 100.0, 100.0, false),
    ("hai-long", "Người dân hài lòng với chính quyền", "%", "higher", "xay-dung-dang", ">", 85.0, 97.0, false),
    ("doan-vien", "Kết nạp đoàn viên", "đoàn viên", "higher", "xay-dung-dang", ">=", 100.0, 700.0, false),
    ("hoi-vien-phu-nu", "Tăng hội viên phụ nữ", "%", "higher", "xay-dung-dang", ">=", 1.0, 3.0, true),
    ("giai-quyet-don", "Đơn thư được giải quyết", "%", "higher", "xay-dung-dang", ">=", 90.0, 100.0, false),
];

const FIELDS: &[(&str, &str)] = &[
    ("kinh-te", "Kinh tế – đô thị"),
    ("van-hoa-xa-hoi", "Văn hóa – xã hội"),
    ("quoc-phong-an-ninh", "Quốc phòng – an ninh"),
    ("xay-dung-dang", "Xây dựng Đảng và hệ thống chính trị"),
];

fn slug(s: &str) -> String {
    minhbach::vi::slug::slugify(s)
}

fn vn(v: f64) -> String {
    minhbach::vi::number::format_auto(v)
}

fn name(rng: &mut Rng, words: usize) -> String {
    (0..words).map(|_| *rng.pick(SYLLABLES)).collect::<Vec<_>>().join(" ")
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

struct Ward {
    path: String,
    name: String,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |flag: &str, default: &str| -> String {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .unwrap_or_else(|| default.to_string())
    };
    if args.iter().any(|a| a == "--help" || a == "-h") || !args.iter().any(|a| a == "--out") {
        eprintln!(
            "usage: minhbach-corpus --out DIR [--units 1000] [--docs 5] [--seed 1]\n\nWrites a site of UNITS wards × DOCS documents into DIR (which must not exist)."
        );
        std::process::exit(if args.iter().any(|a| a == "--help" || a == "-h") { 0 } else { 2 });
    }
    let out = PathBuf::from(arg("--out", ""));
    let units: usize = arg("--units", "1000").parse().expect("--units is a number");
    let docs: usize = arg("--docs", "5").parse().expect("--docs is a number");
    let seed: u64 = arg("--seed", "1").parse().expect("--seed is a number");
    if out.exists() {
        eprintln!("error: {} exists; give a new folder", out.display());
        std::process::exit(1);
    }
    let stats = generate(&out, units, docs, seed);
    println!(
        "{} wards, {} documents, {} targets, {} results written to {}",
        units,
        stats.0,
        stats.1,
        stats.2,
        out.display()
    );
}

/// Write the site; returns (documents, targets, results).
fn generate(out: &Path, wards: usize, docs: usize, seed: u64) -> (usize, usize, usize) {
    let mut rng = Rng(seed);
    write(
        &out.join("minhbach.toml"),
        "title = \"Minh bạch – dữ liệu sinh để đo hiệu năng\"\nbase_url = \"/\"\nlanguage = \"vi\"\nstatus_date = \"2026-11-23\"\n",
    );
    let mut vocab = String::from("fields:\n");
    for (k, n) in FIELDS {
        let _ = writeln!(vocab, "  - key: {k}\n    name: {n}");
    }
    vocab.push_str("indicators:\n");
    for (k, n, u, d, f, ..) in INDICATORS {
        let _ = writeln!(
            vocab,
            "  - key: {k}\n    name: {n}\n    unit: \"{u}\"\n    direction: {d}\n    field: {f}\n    description: {n} (dữ liệu sinh)."
        );
    }
    write(&out.join("content/indicators.yaml"), &vocab);

    // Hierarchy: about 15 wards a district, 12 districts a province.
    let districts = wards.div_ceil(15).max(1);
    let provinces = districts.div_ceil(12).max(1);
    let mut ward_list = Vec::with_capacity(wards);
    let mut used = std::collections::HashSet::new();
    let mut unique = |rng: &mut Rng, prefix: &str, words: usize| -> String {
        loop {
            let n = format!("{prefix} {}", name(rng, words));
            if used.insert(slug(&n)) {
                return n;
            }
            // Collisions grow the name by a numbered suffix after a few tries.
            let n = format!("{prefix} {} {}", name(rng, words), used.len());
            if used.insert(slug(&n)) {
                return n;
            }
        }
    };
    let mut w = 0;
    for p in 0..provinces {
        let pname = unique(&mut rng, if p % 5 == 0 { "Thành phố" } else { "Tỉnh" }, 2);
        let ppath = slug(&pname);
        write(
            &out.join("content").join(&ppath).join("_index.md"),
            &format!("---\nname: {pname}\nlevel: {}\n---\n{pname}.\n", if p % 5 == 0 { "thành phố" } else { "tỉnh" }),
        );
        for d in 0..12 {
            if (p * 12 + d) >= districts {
                break;
            }
            let dname = unique(&mut rng, if d % 3 == 0 { "Quận" } else { "Huyện" }, 2);
            let dpath = format!("{ppath}/{}", slug(&dname));
            write(
                &out.join("content").join(&dpath).join("_index.md"),
                &format!(
                    "---\nname: {dname}\nlevel: {}\n---\n{dname}, {pname}.\n",
                    if d % 3 == 0 { "quận" } else { "huyện" }
                ),
            );
            for _ in 0..15 {
                if w >= wards {
                    break;
                }
                let wname = unique(&mut rng, if w % 4 == 3 { "Xã" } else { "Phường" }, 2);
                let wpath = format!("{dpath}/{}", slug(&wname));
                write(
                    &out.join("content").join(&wpath).join("_index.md"),
                    &format!(
                        "---\nname: {wname}\nlevel: {}\n---\n{wname}, {dname}, {pname}.\n",
                        if w % 4 == 3 { "xã" } else { "phường" }
                    ),
                );
                ward_list.push(Ward { path: wpath, name: wname });
                w += 1;
            }
        }
    }

    let (mut ndocs, mut ntargets, mut nresults) = (0, 0, 0);
    for ward in &ward_list {
        let (d, t, r) = ward_documents(out, ward, docs, &mut rng);
        ndocs += d;
        ntargets += t;
        nresults += r;
    }
    (ndocs, ntargets, nresults)
}

struct Target {
    id: String,
    ind: usize,
    value: f64,
    high: f64,
}

fn target_yaml(t: &Target, text: &mut String, group: &str, term_end: u32) {
    let (key, iname, unit, _dir, _f, op, ..) = INDICATORS[t.ind];
    let per_year = INDICATORS[t.ind].8;
    let phrase = match op {
        "<" => format!("dưới {}", vn(t.value)),
        ">" => format!("trên {}", vn(t.value)),
        "=" => vn(t.value),
        _ => format!("ít nhất {}", vn(t.value)),
    };
    let unit_text = if unit == "%" { "%".to_string() } else { format!(" {unit}") };
    let when = if per_year { "mỗi năm".to_string() } else { format!("đến năm {term_end}") };
    let _ = write!(
        text,
        "  - id: \"{}\"\n    group: \"{group}\"\n    text: \"{iname} {phrase}{unit_text} {when}.\"\n    indicator: {key}\n    measures:\n      - op: \"{op}\"\n        value: \"{}\"\n        unit: \"{unit}\"\n{}",
        t.id,
        vn(t.value),
        if per_year { "        per: year\n".to_string() } else { format!("        deadline: {term_end}\n") }
    );
    let _ = t.high;
}

/// 10–25 targets drawn from the shared indicators: (groups: yaml, targets: yaml, list).
fn draw_targets(rng: &mut Rng, term_end: u32) -> (String, String, Vec<Target>) {
    let n = 10 + rng.below(16);
    let mut chosen: Vec<usize> = (0..INDICATORS.len()).collect();
    for i in (1..chosen.len()).rev() {
        chosen.swap(i, rng.below(i + 1));
    }
    chosen.truncate(n);
    chosen.sort_by_key(|&i| (FIELDS.iter().position(|f| f.0 == INDICATORS[i].4), i));
    let targets: Vec<Target> = chosen
        .iter()
        .enumerate()
        .map(|(k, &ind)| {
            let (.., lo, hi, _) = INDICATORS[ind];
            let v = if lo == hi { lo } else { lo + (hi - lo) * (rng.below(1000) as f64 / 1000.0) };
            let v = if hi - lo >= 20.0 { v.round() } else { (v * 10.0).round() / 10.0 };
            Target { id: format!("{}", k + 1), ind, value: v, high: hi }
        })
        .collect();
    let mut groups = String::from("groups:\n");
    let mut yaml = String::from("targets:\n");
    for (fk, fname) in FIELDS {
        let count = targets.iter().filter(|t| INDICATORS[t.ind].4 == *fk).count();
        if count == 0 {
            continue;
        }
        let _ = writeln!(
            groups,
            "  - id: \"{fk}\"\n    name: \"Về {}\"\n    count: {count}\n    field: {fk}",
            fname.to_lowercase()
        );
        for t in targets.iter().filter(|t| INDICATORS[t.ind].4 == *fk) {
            target_yaml(t, &mut yaml, fk, term_end);
        }
    }
    (groups, yaml, targets)
}

/// Results for some of `targets` (of the document at `doc_path`), as YAML.
fn results_for(
    rng: &mut Rng,
    doc_path: &str,
    targets: &[Target],
    as_of: &str,
    share: u64,
    fin: bool,
) -> (String, usize) {
    let mut results = String::from("results:\n");
    let mut r = 0;
    for t in targets {
        if !rng.chance(share) {
            continue;
        }
        let (.., lo, hi, _) = INDICATORS[t.ind];
        let spread = (hi - lo).max(1.0);
        let v = (t.value + spread * ((rng.below(400) as f64 - 200.0) / 1000.0)).max(0.0);
        let v = (v * 10.0).round() / 10.0;
        let unit = INDICATORS[t.ind].2;
        let _ = write!(
            results,
            "  - target: \"{doc_path}#{}\"\n    value: \"{}\"\n    unit: \"{unit}\"\n    as_of: {as_of}\n{}    quote: \"{} đạt {}{}.\"\n",
            t.id,
            vn(v),
            if fin { "    final: true\n" } else { "" },
            INDICATORS[t.ind].1,
            vn(v),
            if unit == "%" { "%".to_string() } else { format!(" {unit}") }
        );
        r += 1;
    }
    if r == 0 {
        results = "results: []\n".into();
    }
    (results, r)
}

/// A ward's documents; returns (documents, targets, results) written. Every document
/// has its own 10–25 targets (a resolution, an action program restating them, the
/// previous term's resolution, conclusions setting the next year's); reviews and
/// conclusions also report results on the resolution's targets.
fn ward_documents(out: &Path, ward: &Ward, docs: usize, rng: &mut Rng) -> (usize, usize, usize) {
    let dir = out.join("content").join(&ward.path);
    let signer = format!("{} {}", rng.pick(SURNAMES), rng.pick(GIVEN));
    let congress = ["XI", "XII", "XIII", "XIV", "XV"][rng.below(5)];
    let body = |title: &str| {
        format!(
            "**{title}**\n\nĐại hội thảo luận, đánh giá kết quả nhiệm kỳ qua và đề ra phương hướng, mục tiêu, chỉ tiêu cho nhiệm kỳ 2020 – 2025 của {}.\n\n## Phương hướng\n\nTiếp tục phát triển kinh tế – đô thị, chăm lo an sinh xã hội, giữ vững quốc phòng – an ninh và xây dựng Đảng trong sạch, vững mạnh.\n\n## Nhiệm vụ và giải pháp\n\n- Tăng cường công tác tuyên truyền, vận động nhân dân.\n- Nâng cao hiệu quả quản lý nhà nước trên các lĩnh vực.\n- Phát huy vai trò của Mặt trận và các đoàn thể.\n",
            ward.name
        )
    };
    let res_title = format!("Nghị quyết Đại hội đại biểu Đảng bộ {} lần thứ {congress}, nhiệm kỳ 2020–2025", ward.name);
    let (groups, yaml, targets) = draw_targets(rng, 2025);
    write(
        &dir.join("nghi-quyet-dai-hoi.md"),
        &format!(
            "---\ntitle: \"{res_title}\"\nkind: resolution\nnumber: \"01-NQ/ĐH\"\nissued: 2020-05-{:02}\nplace: {}\nissuer: Đại hội đại biểu Đảng bộ {}\nsigner: {signer}\nsigner_role: T/M Đảng ủy – Bí thư\nterm: 2020-2025\ncongress: {congress}\nsource: Dữ liệu sinh để đo hiệu năng\n{groups}{yaml}---\n{}",
            10 + rng.below(18),
            ward.name,
            ward.name,
            body(&res_title)
        ),
    );
    let mut written = (1, targets.len(), 0);
    let res_path = format!("{}/nghi-quyet-dai-hoi", ward.path);
    for k in 1..docs {
        let (kind, title, issued, term, as_of, share, fin) = match k % 5 {
            1 => (
                "action-program",
                "Chương trình hành động thực hiện Nghị quyết",
                "2020-06-05",
                "2020-2025",
                "",
                0,
                false,
            ),
            2 => ("review", "Báo cáo sơ kết giữa nhiệm kỳ", "2023-05-18", "2020-2025", "2022-12-31", 55, false),
            3 => (
                "conclusion",
                "Kết luận Hội nghị Ban Chấp hành về kết quả năm 2023 và chỉ tiêu năm 2024",
                "2024-01-16",
                "2020-2025",
                "2023-12-31",
                50,
                false,
            ),
            4 => ("resolution", "Nghị quyết Đại hội nhiệm kỳ 2015–2020", "2015-05-20", "2015-2020", "", 0, false),
            _ => ("review", "Báo cáo tổng kết nhiệm kỳ", "2025-06-20", "2020-2025", "2025-06-30", 70, false),
        };
        let term_end = if term == "2015-2020" { 2020 } else { 2025 };
        let (g, y, own) = draw_targets(rng, term_end);
        let file = format!("{}-{k}", slug(title));
        let (results, r) = if k % 5 == 4 {
            // The previous term's resolution: its own final results, reported at the congress.
            results_for(rng, &format!("{}/{file}", ward.path), &own, "2020-05-15", 80, true)
        } else if share > 0 {
            results_for(rng, &res_path, &targets, as_of, share, fin)
        } else {
            ("results: []\n".to_string(), 0)
        };
        write(
            &dir.join(format!("{file}.md")),
            &format!(
                "---\ntitle: \"{title} – {}\"\nkind: {kind}\nnumber: \"{}-BC/ĐU\"\nissued: {issued}\nissuer: Đảng ủy {}\nterm: {term}\n{g}{y}{results}---\n{}",
                ward.name,
                100 + k,
                ward.name,
                body(title)
            ),
        );
        written.0 += 1;
        written.1 += own.len();
        written.2 += r;
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_site_and_it_checks() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let sa = generate(&a.path().join("s"), 20, 5, 7);
        let sb = generate(&b.path().join("s"), 20, 5, 7);
        assert_eq!(sa, sb);
        assert_eq!(sa.0, 100);
        let files = |d: &Path| {
            walkdir::WalkDir::new(d)
                .sort_by_file_name()
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().is_file())
                .map(|e| (e.path().strip_prefix(d).unwrap().to_path_buf(), fs::read(e.path()).unwrap()))
                .collect::<Vec<_>>()
        };
        assert_eq!(files(&a.path().join("s")), files(&b.path().join("s")));
        minhbach::site::check(&a.path().join("s")).unwrap();
    }
}
