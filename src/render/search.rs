//! The site's search index: static files that the search page's script (search.js)
//! fetches a few at a time, so a query downloads a small part of the index whatever
//! the site's size, with no server and nothing from the network.
//!
//! Why our own index and not Pagefind: Pagefind indexes pages, folds tone marks but not
//! đ → d ("duong" misses "Đường"), and shows excerpts of the text it indexed, so feeding
//! it folded text would show folded text. Here an item is what a reader looks for (an
//! indicator, a unit, a document, a target row, a result row), with its own address
//! (a target's row anchor) and its status, and folding is ours on both sides.
//!
//! The layout (docs/search.md has the figures):
//! - **Items** in one order that is also their rank: indicators, units, documents,
//!   targets, results, each in site order. An item's number is its place.
//! - **Terms**: each word folded (lower case, no tone marks, đ → d), and each pair of
//!   adjacent words ("ho ngheo"), so a query of common words is answered by the rarer
//!   pair. A term keeps the forms it was written in ("hộ nghèo", "hồ nghèo"), and each
//!   posting says which, so the page ranks exact diacritic matches first.
//! - **Shards**: a term lives in shard `fnv1a(term) % shards` (`tim-kiem/s/N.json`),
//!   with at most [`POSTINGS`] items, the first by rank, and its full count.
//! - **Records**: what a hit shows (title, unit and document, statuses, address), in
//!   chunks of [`CHUNK`] items (`tim-kiem/r/N.json`): a page of hits fetches its chunks.

use super::data::FileSink;
use super::pages::{CHUNK, Layout, Page, PageKind, SearchFile};
use super::views::Views;
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;

/// Items a term lists: the first by rank. Its full count is kept beside them.
pub(crate) const POSTINGS: usize = 1000;
/// Characters of a target's or result's text a hit shows.
const TITLE_CHARS: usize = 200;

/// A word as search compares it: lower case, tone marks and other combining marks
/// dropped, đ → d. search.js folds a query the same way (NFD, marks U+0300–U+036F
/// dropped, đ → d, lower case); the browser test checks the two agree.
pub fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// The words of a text, as written in lower case (NFC) and folded: runs of letters and
/// digits, as search.js splits a query (`[^\p{L}\p{N}]+`).
pub fn words(text: &str) -> Vec<(String, String)> {
    let nfc: String = text.nfc().collect();
    nfc.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let exact = w.to_lowercase();
            let folded = fold(&exact);
            (exact, folded)
        })
        .collect()
}

/// The shard of a term: FNV-1a (32 bits) of its UTF-8 bytes, as search.js computes it.
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in term.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards
}

/// What a hit shows; written as `[kind, title, sub, url, [[status, label], …]]`.
struct Record {
    /// i (indicator), u (unit), d (document), t (target), r (result).
    kind: &'static str,
    title: String,
    /// Where it is: the unit, the document.
    sub: String,
    url: String,
    /// A target's measures' statuses, each once, in order: (key, label).
    status: Vec<(&'static str, String)>,
}

struct Item {
    record: Record,
    /// The texts searched, each on its own (pairs of words do not span two).
    texts: Vec<String>,
}

fn cut(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(TITLE_CHARS) {
        Some((i, _)) => format!("{}…", text[..i].trim_end()),
        None => text,
    }
}

/// Every item, in rank order (an item's number is its place here).
fn items(v: &Views) -> Vec<Item> {
    let site = v.site;
    let s = v.strings;
    let mut out = Vec::new();
    let place = |u: usize| -> String {
        let chain = site.ancestry(u);
        chain.iter().rev().map(|&a| site.units[a].name.as_str()).collect::<Vec<_>>().join(", ")
    };
    for c in &v.computed.comparisons {
        let i = &site.indicators[c.indicator];
        let field = i.field.as_deref().and_then(|f| site.field_by_key.get(f)).map(|&f| site.fields[f].name.clone());
        let mut texts = vec![i.name.clone(), i.key.replace('-', " ")];
        texts.extend(field.clone());
        texts.extend(i.description.clone());
        texts.extend(i.aliases.iter().map(|a| a.replace('-', " ")));
        out.push(Item {
            record: Record {
                kind: "i",
                title: i.name.clone(),
                sub: field.unwrap_or_default(),
                url: v.indicator_url(i),
                status: vec![],
            },
            texts,
        });
    }
    for (u, unit) in site.units.iter().enumerate() {
        let above = unit.parent.map(place).unwrap_or_default();
        let mut texts = vec![unit.name.clone()];
        texts.extend(unit.short_name.clone());
        texts.push(above.clone());
        out.push(Item {
            record: Record {
                kind: "u",
                title: unit.name.clone(),
                sub: above,
                url: v.url(&site.units[u].url),
                status: vec![],
            },
            texts,
        });
    }
    for d in &site.documents {
        let mut texts = vec![d.title.clone()];
        texts.extend(d.number.clone());
        texts.push(place(d.unit));
        out.push(Item {
            record: Record {
                kind: "d",
                title: d.title.clone(),
                sub: site.units[d.unit].name.clone(),
                url: v.url(&d.url),
                status: vec![],
            },
            texts,
        });
    }
    for (di, d) in site.documents.iter().enumerate() {
        let sub = format!("{} · {}", site.units[d.unit].name, d.title);
        for (ti, t) in d.targets.iter().enumerate() {
            let mut texts = vec![t.text.to_string()];
            let mut status: Vec<(&'static str, String)> = Vec::new();
            for (mi, m) in t.measures.iter().enumerate() {
                if let Some(i) = site.indicator_at(m.indicator()) {
                    if !texts.contains(&i.name) {
                        texts.push(i.name.clone());
                    }
                }
                texts.extend(m.label.as_deref().map(str::to_string));
                let st = v.computed.get(crate::model::MeasureRef::new(di, ti, mi)).status;
                if !status.iter().any(|(k, _)| *k == st.as_str()) {
                    status.push((st.as_str(), s.get(st.label_key())));
                }
            }
            texts.push(site.units[d.unit].name.clone());
            out.push(Item {
                record: Record {
                    kind: "t",
                    title: cut(&t.text),
                    sub: sub.clone(),
                    url: v.target_url(d, &t.id),
                    status,
                },
                texts,
            });
        }
    }
    for r in &site.results {
        let d = &site.documents[r.doc];
        let indicator = site.indicator_at(r.indicator()).map(|i| i.name.clone());
        let title = r.label.clone().or_else(|| indicator.clone()).unwrap_or_else(|| cut(&r.quote));
        let mut texts = vec![title.clone()];
        texts.extend(indicator.filter(|i| *i != title));
        texts.push(r.quote.clone());
        texts.push(site.units[d.unit].name.clone());
        let value = v.result_value_text(r);
        let shown = if value.is_empty() { title.clone() } else { format!("{title}: {value}") };
        out.push(Item {
            record: Record {
                kind: "r",
                title: cut(&shown),
                sub: format!("{} · {}", site.units[d.unit].name, d.title),
                url: v.result_url(r),
                status: vec![],
            },
            texts,
        });
    }
    out
}

/// A term's entry: the forms it was written in and its postings (item, form), by item.
#[derive(Default)]
struct Term {
    forms: Vec<String>,
    postings: Vec<(u32, u32)>,
    /// Items holding it (postings may list an item once per form).
    count: u32,
    /// The last item added.
    last: Option<u32>,
}

impl Term {
    /// Items come in rank order, so an item's postings are the last ones. Past
    /// [`POSTINGS`] items only the count grows: memory stays bounded by the terms.
    fn add(&mut self, item: u32, form: &str) {
        if self.last != Some(item) {
            self.last = Some(item);
            self.count += 1;
        }
        if self.count as usize > POSTINGS {
            return;
        }
        let f = match self.forms.iter().position(|x| x == form) {
            Some(f) => f,
            None => {
                self.forms.push(form.to_string());
                self.forms.len() - 1
            }
        } as u32;
        if self.postings.iter().rev().take_while(|&&(i, _)| i == item).any(|&(_, g)| g == f) {
            return;
        }
        self.postings.push((item, f));
    }
}

/// A shard's JSON: term → [count, forms, postings], each posting `gap * forms + form`
/// where gap is the distance from the previous item (the first from 0).
fn shard_json(terms: &BTreeMap<&str, &Term>) -> Vec<u8> {
    let mut out = String::from("{");
    for (i, (key, t)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(key).expect("a string serialises"));
        out.push_str(":[");
        out.push_str(&t.count.to_string());
        out.push(',');
        out.push_str(&serde_json::to_string(&t.forms).expect("strings serialise"));
        out.push_str(",[");
        let v = t.forms.len() as u64;
        let mut prev = 0u64;
        for (j, &(item, form)) in t.postings.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            let gap = u64::from(item) - prev;
            prev = u64::from(item);
            out.push_str(&(gap * v + u64::from(form)).to_string());
        }
        out.push_str("]]");
    }
    out.push('}');
    out.into_bytes()
}

/// Write the index files of `pages` (all of them in a build) through `sink`.
pub(crate) fn write_index(v: &Views, layout: Layout, pages: &[&Page], sink: &dyn FileSink) -> std::io::Result<()> {
    let items = items(v);
    debug_assert_eq!(items.len(), layout.items, "Layout::of counts the items indexed");
    let wanted: std::collections::HashSet<SearchFile> = pages
        .iter()
        .filter_map(|p| match p.kind {
            PageKind::SearchIndex(f) => Some(f),
            _ => None,
        })
        .collect();
    let wanted = |f: SearchFile| wanted.contains(&f);
    // Records.
    for (n, chunk) in items.chunks(CHUNK).enumerate() {
        let f = SearchFile::Records(n as u32);
        if wanted(f) {
            // Arrays, not objects: no key repeated in every record.
            let records: Vec<_> = chunk
                .iter()
                .map(|i| {
                    let r = &i.record;
                    (r.kind, &r.title, &r.sub, &r.url, &r.status)
                })
                .collect();
            sink.whole(&f.output(), serde_json::to_vec(&records).expect("records serialise"))?;
        }
    }
    // Terms: words and pairs of adjacent words, in item order.
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    for (n, item) in items.iter().enumerate() {
        let n = n as u32;
        for text in &item.texts {
            let ws = words(text);
            for (i, (exact, folded)) in ws.iter().enumerate() {
                terms.entry(folded.clone()).or_default().add(n, exact);
                if let Some((e2, f2)) = ws.get(i + 1) {
                    terms.entry(format!("{folded} {f2}")).or_default().add(n, &format!("{exact} {e2}"));
                }
            }
        }
    }
    let mut shards: Vec<BTreeMap<&str, &Term>> = (0..layout.shards).map(|_| BTreeMap::new()).collect();
    for (k, t) in &terms {
        shards[shard_of(k, layout.shards) as usize].insert(k, t);
    }
    for (n, shard) in shards.iter().enumerate() {
        let f = SearchFile::Shard(n as u32);
        if wanted(f) {
            sink.whole(&f.output(), shard_json(shard))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_tone_marks_and_maps_d() {
        assert_eq!(fold("Đường"), "duong");
        assert_eq!(fold("hộ nghèo"), "ho ngheo");
        assert_eq!(fold("Định"), fold("Đình"));
        // Decomposed input folds like composed.
        assert_eq!(fold("Pho\u{0300}"), fold("Phò"));
        let w = words("Phường 14, quận Gò Vấp: 0,5%");
        let folded: Vec<&str> = w.iter().map(|(_, f)| f.as_str()).collect();
        assert_eq!(folded, ["phuong", "14", "quan", "go", "vap", "0", "5"]);
        assert_eq!(w[0].0, "phường");
    }

    #[test]
    fn a_term_lists_each_item_once_per_form() {
        let mut t = Term::default();
        t.add(0, "đường");
        t.add(0, "đường");
        t.add(0, "dương");
        t.add(3, "đường");
        assert_eq!(t.count, 2);
        assert_eq!(t.postings, [(0, 0), (0, 1), (3, 0)]);
        let mut m = BTreeMap::new();
        m.insert("duong", &t);
        // gaps 0, 0, 3 with two forms: 0*2+0, 0*2+1, 3*2+0.
        assert_eq!(String::from_utf8(shard_json(&m)).unwrap(), r#"{"duong":[2,["đường","dương"],[0,1,6]]}"#);
    }

    #[test]
    fn shards_spread_terms() {
        let mut seen = std::collections::BTreeSet::new();
        for w in ["ho", "ngheo", "ho ngheo", "duong", "phuong", "14", "bao", "hiem"] {
            seen.insert(shard_of(w, 16));
        }
        assert!(seen.len() > 4, "{seen:?}");
        // FNV-1a of "a" is 0xe40c292c.
        assert_eq!(shard_of("a", u32::MAX), 0xe40c_292c % u32::MAX);
    }
}
