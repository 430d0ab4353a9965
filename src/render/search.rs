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
use crate::vi::slug::fold;
use std::borrow::Cow;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Items a term lists: the first by rank. Its full count is kept beside them.
pub(crate) const POSTINGS: usize = 1000;
/// Characters of a target's or result's text a hit shows.
const TITLE_CHARS: usize = 200;

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

/// What a hit shows. Written per record file as `[places, records]`: a place is
/// `[where, page]` ("Phường 14 · Nghị quyết …", the page's address), said once for the
/// rows of a document; a record is `[kind, title, place, anchor, [[status, label], …]]`
/// and links to the place's page followed by its anchor ("#chi-tieu-1.2", or "").
struct Record<'a> {
    /// i (indicator), u (unit), d (document), t (target), r (result).
    kind: &'static str,
    title: String,
    place: usize,
    anchor: String,
    /// A target's measures' statuses, each once, in order: (key, label).
    status: Vec<(&'static str, String)>,
    /// The texts searched, each on its own (pairs of words do not span two).
    texts: Vec<Cow<'a, str>>,
}

/// The abbreviations a name may be written as: the initials of each run of 3 to 5 of its
/// words ("bảo hiểm y tế" → "bhyt"), as one text of words, so that "bhyt" finds the
/// indicator "Tỷ lệ người dân tham gia bảo hiểm y tế".
fn initials(name: &str) -> String {
    let firsts: Vec<char> = words(name).iter().filter_map(|(_, f)| f.chars().next()).collect();
    let mut out = Vec::new();
    for len in 3..=5 {
        for w in firsts.windows(len) {
            out.push(w.iter().collect::<String>());
        }
    }
    out.join(" ")
}

fn cut(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(TITLE_CHARS) {
        Some((i, _)) => format!("{}…", text[..i].trim_end()),
        None => text,
    }
}

/// Every item, in rank order (an item's number is its place here), and the places
/// they are in: (where, page address).
fn items<'a>(v: &'a Views) -> (Vec<Record<'a>>, Vec<(String, String)>) {
    let site = v.site;
    let s = v.strings;
    let mut out = Vec::new();
    let mut places: Vec<(String, String)> = Vec::new();
    let mut place = |sub: String, url: String| {
        places.push((sub, url));
        places.len() - 1
    };
    let chain = |u: usize| -> String {
        site.ancestry(u).iter().rev().map(|&a| site.units[a].name.as_str()).collect::<Vec<_>>().join(", ")
    };
    for c in &v.computed.comparisons {
        let i = &site.indicators[c.indicator];
        let field = i.field.as_deref().and_then(|f| site.field_by_key.get(f)).map(|&f| site.fields[f].name.as_str());
        let mut texts: Vec<Cow<str>> = vec![Cow::Borrowed(i.name.as_str()), Cow::Owned(i.key.replace('-', " "))];
        texts.extend(field.map(Cow::Borrowed));
        texts.extend(i.description.as_deref().map(Cow::Borrowed));
        texts.extend(i.aliases.iter().map(|a| Cow::Owned(a.replace('-', " "))));
        texts.push(Cow::Owned(initials(&i.name)));
        let p = place(field.unwrap_or_default().to_string(), v.indicator_url(i));
        out.push(Record { kind: "i", title: i.name.clone(), place: p, anchor: String::new(), status: vec![], texts });
    }
    for unit in &site.units {
        let above = unit.parent.map(chain).unwrap_or_default();
        let mut texts: Vec<Cow<str>> = vec![Cow::Borrowed(unit.name.as_str())];
        texts.extend(unit.short_name.as_deref().map(Cow::Borrowed));
        texts.push(Cow::Owned(above.clone()));
        let p = place(above, v.url(&unit.url));
        out.push(Record {
            kind: "u",
            title: unit.name.clone(),
            place: p,
            anchor: String::new(),
            status: vec![],
            texts,
        });
    }
    // A document's page: its own record's place, and the one its rows share.
    let mut doc_place = Vec::with_capacity(site.documents.len());
    for d in &site.documents {
        let unit = site.units[d.unit].name.as_str();
        let mut texts: Vec<Cow<str>> = vec![Cow::Borrowed(d.title.as_str())];
        texts.extend(d.number.as_deref().map(Cow::Borrowed));
        texts.push(Cow::Owned(chain(d.unit)));
        let page = v.url(&d.url);
        let p = place(unit.to_string(), page.clone());
        doc_place.push(place(format!("{unit} · {}", d.title), page));
        out.push(Record { kind: "d", title: d.title.clone(), place: p, anchor: String::new(), status: vec![], texts });
    }
    for (di, d) in site.documents.iter().enumerate() {
        let unit = site.units[d.unit].name.as_str();
        for (ti, t) in d.targets.iter().enumerate() {
            let mut texts: Vec<Cow<str>> = vec![Cow::Borrowed(&*t.text)];
            let mut status: Vec<(&'static str, String)> = Vec::new();
            for (mi, m) in t.measures.iter().enumerate() {
                if let Some(i) = site.indicator_at(m.indicator())
                    && !texts.iter().any(|x| *x == i.name)
                {
                    texts.push(Cow::Borrowed(i.name.as_str()));
                }
                texts.extend(m.label.as_deref().map(Cow::Borrowed));
                let st = v.computed.get(crate::model::MeasureRef::new(di, ti, mi)).status;
                if !status.iter().any(|(k, _)| *k == st.as_str()) {
                    status.push((st.as_str(), s.get(st.label_key())));
                }
            }
            texts.push(Cow::Borrowed(unit));
            let anchor = ["#", &Views::target_anchor(&t.id)].concat();
            out.push(Record { kind: "t", title: cut(&t.text), place: doc_place[di], anchor, status, texts });
        }
    }
    for r in &site.results {
        let d = &site.documents[r.doc];
        let indicator = site.indicator_at(r.indicator()).map(|i| i.name.as_str());
        let title = r.label.as_deref().or(indicator).map(str::to_string).unwrap_or_else(|| cut(&r.quote));
        let value = v.result_value_text(r);
        let shown = if value.is_empty() { title.clone() } else { format!("{title}: {value}") };
        let mut texts: Vec<Cow<str>> = vec![Cow::Owned(title.clone())];
        texts.extend(indicator.filter(|i| *i != title).map(Cow::Borrowed));
        texts.push(Cow::Borrowed(r.quote.as_str()));
        texts.push(Cow::Borrowed(site.units[d.unit].name.as_str()));
        let anchor = ["#", &Views::result_anchor(r)].concat();
        out.push(Record { kind: "r", title: cut(&shown), place: doc_place[r.doc], anchor, status: vec![], texts });
    }
    (out, places)
}

/// A record file: the places its records are in, each once, then the records.
fn records_json(records: &[Record], places: &[(String, String)]) -> Vec<u8> {
    let mut local: Vec<usize> = Vec::new();
    let rows: Vec<_> = records
        .iter()
        .map(|r| {
            let at = local.iter().position(|&p| p == r.place).unwrap_or_else(|| {
                local.push(r.place);
                local.len() - 1
            });
            (r.kind, &r.title, at, &r.anchor, &r.status)
        })
        .collect();
    let used: Vec<&(String, String)> = local.iter().map(|&p| &places[p]).collect();
    serde_json::to_vec(&(used, rows)).expect("records serialise")
}

type Fast = xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// The words seen, each once: a text's words are looked up as written, and only a word
/// not seen before is lowered and folded (a site has some ten thousand distinct words
/// and millions of occurrences).
#[derive(Default)]
struct Lexicon {
    /// As written → (its lower-case form, its folded form), as ids.
    seen: HashMap<Box<str>, (u32, u32), Fast>,
    lower: Ids,
    folded: Ids,
}

#[derive(Default)]
struct Ids {
    ids: HashMap<Box<str>, u32, Fast>,
    words: Vec<Box<str>>,
}

impl Ids {
    fn id(&mut self, w: &str) -> u32 {
        if let Some(&i) = self.ids.get(w) {
            return i;
        }
        self.words.push(w.into());
        let i = (self.words.len() - 1) as u32;
        self.ids.insert(w.into(), i);
        i
    }
}

impl Lexicon {
    /// The words of `text` as (lower-case id, folded id), into `out`.
    fn words(&mut self, text: &str, out: &mut Vec<(u32, u32)>) {
        out.clear();
        let nfc: Cow<str> = match unicode_normalization::is_nfc_quick(text.chars()) {
            unicode_normalization::IsNormalized::Yes => Cow::Borrowed(text),
            _ => Cow::Owned(text.nfc().collect()),
        };
        for w in nfc.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let ids = match self.seen.get(w) {
                Some(&ids) => ids,
                None => {
                    let lower = w.to_lowercase();
                    let ids = (self.lower.id(&lower), self.folded.id(&fold(&lower)));
                    self.seen.insert(w.into(), ids);
                    ids
                }
            };
            out.push(ids);
        }
    }
}

/// A term's entry: the forms it was written in and its postings (item, form), by item.
#[derive(Default)]
struct Term {
    /// Lower-case word ids; for a pair, both packed in one number.
    forms: Vec<u64>,
    postings: Vec<(u32, u32)>,
    /// Items holding it (postings may list an item once per form).
    count: u32,
    /// The last item added.
    last: Option<u32>,
}

impl Term {
    /// Items come in rank order, so an item's postings are the last ones. Past
    /// [`POSTINGS`] items only the count grows: memory stays bounded by the terms.
    fn add(&mut self, item: u32, form: u64) {
        if self.last != Some(item) {
            self.last = Some(item);
            self.count += 1;
        }
        if self.count as usize > POSTINGS {
            return;
        }
        let f = match self.forms.iter().position(|&x| x == form) {
            Some(f) => f,
            None => {
                self.forms.push(form);
                self.forms.len() - 1
            }
        } as u32;
        if self.postings.iter().rev().take_while(|&&(i, _)| i == item).any(|&(_, g)| g == f) {
            return;
        }
        self.postings.push((item, f));
    }
}

fn pack(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// A term as a shard writes it: its folded text and forms, and its postings.
struct Entry<'t> {
    key: String,
    forms: Vec<String>,
    term: &'t Term,
}

/// A shard's JSON: term → [count, forms, postings], each posting `gap * forms + form`
/// where gap is the distance from the previous item (the first from 0); terms sorted.
fn shard_json(entries: &mut [Entry]) -> Vec<u8> {
    use std::fmt::Write;
    entries.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    let mut out = String::from("{");
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let t = e.term;
        out.push_str(&serde_json::to_string(&e.key).expect("a string serialises"));
        let _ = write!(out, ":[{},{},[", t.count, serde_json::to_string(&e.forms).expect("strings serialise"));
        let v = t.forms.len() as u64;
        let mut prev = 0u64;
        for (j, &(item, form)) in t.postings.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            let gap = u64::from(item) - prev;
            prev = u64::from(item);
            let _ = write!(out, "{}", gap * v + u64::from(form));
        }
        out.push_str("]]");
    }
    out.push('}');
    out.into_bytes()
}

/// Write the index files of `pages` (all of them in a build) through `sink`.
pub(crate) fn write_index(v: &Views, layout: Layout, pages: &[&Page], sink: &dyn FileSink) -> std::io::Result<()> {
    let (items, places) = items(v);
    debug_assert_eq!(items.len(), layout.items, "Layout::of counts the items indexed");
    let wanted: std::collections::HashSet<SearchFile> = pages
        .iter()
        .filter_map(|p| match p.kind {
            PageKind::SearchIndex(f) => Some(f),
            _ => None,
        })
        .collect();
    let wanted = |f: SearchFile| wanted.contains(&f);
    for (n, chunk) in items.chunks(CHUNK).enumerate() {
        let f = SearchFile::Records(n as u32);
        if wanted(f) {
            sink.whole(&f.output(), records_json(chunk, &places))?;
        }
    }
    // Terms: words (by folded id) and pairs of adjacent words, in item order.
    let mut lex = Lexicon::default();
    let mut single: Vec<Term> = Vec::new();
    let mut pairs: HashMap<u64, Term, Fast> = HashMap::default();
    let mut ws = Vec::new();
    for (n, item) in items.iter().enumerate() {
        let n = n as u32;
        for text in &item.texts {
            lex.words(text, &mut ws);
            for (i, &(lower, folded)) in ws.iter().enumerate() {
                if single.len() <= folded as usize {
                    single.resize_with(folded as usize + 1, Term::default);
                }
                single[folded as usize].add(n, u64::from(lower));
                if let Some(&(l2, f2)) = ws.get(i + 1) {
                    pairs.entry(pack(folded, f2)).or_default().add(n, pack(lower, l2));
                }
            }
        }
    }
    fn word(ids: &Ids, i: u64) -> &str {
        &ids.words[i as usize]
    }
    let pair = |ids: &Ids, p: u64| format!("{} {}", word(ids, p >> 32), word(ids, p & 0xffff_ffff));
    let mut shards: Vec<Vec<Entry>> = (0..layout.shards).map(|_| Vec::new()).collect();
    let mut put = |key: String, forms: Vec<String>, term| {
        shards[shard_of(&key, layout.shards) as usize].push(Entry { key, forms, term });
    };
    for (f, t) in single.iter().enumerate() {
        let forms = t.forms.iter().map(|&l| word(&lex.lower, l).to_string()).collect();
        put(word(&lex.folded, f as u64).to_string(), forms, t);
    }
    for (&k, t) in &pairs {
        put(pair(&lex.folded, k), t.forms.iter().map(|&l| pair(&lex.lower, l)).collect(), t);
    }
    for (n, shard) in shards.iter_mut().enumerate() {
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
    fn an_indicator_s_initials_are_searchable() {
        let i = initials("Tỷ lệ người dân tham gia bảo hiểm y tế");
        assert!(i.split(' ').any(|w| w == "bhyt"), "{i}");
        assert!(initials("Hộ nghèo").is_empty(), "two words make no abbreviation");
    }

    #[test]
    fn a_term_lists_each_item_once_per_form() {
        let mut t = Term::default();
        t.add(0, 7);
        t.add(0, 7);
        t.add(0, 9);
        t.add(3, 7);
        assert_eq!(t.count, 2);
        assert_eq!(t.postings, [(0, 0), (0, 1), (3, 0)]);
        let mut entries = [Entry { key: "duong".into(), forms: vec!["đường".into(), "dương".into()], term: &t }];
        // gaps 0, 0, 3 with two forms: 0*2+0, 0*2+1, 3*2+0.
        assert_eq!(String::from_utf8(shard_json(&mut entries)).unwrap(), r#"{"duong":[2,["đường","dương"],[0,1,6]]}"#);
    }

    #[test]
    fn past_the_cap_a_term_only_counts() {
        let mut t = Term::default();
        for i in 0..(POSTINGS as u32 + 50) {
            t.add(i, 0);
            t.add(i, 1);
        }
        assert_eq!(t.count as usize, POSTINGS + 50);
        assert_eq!(t.postings.len(), 2 * POSTINGS);
    }

    #[test]
    fn the_lexicon_folds_each_word_as_words_does() {
        let mut lex = Lexicon::default();
        let mut out = Vec::new();
        let text = "Phường 14, PHƯỜNG Đức Giang: đường và Đường";
        lex.words(text, &mut out);
        let folded: Vec<&str> = out.iter().map(|&(_, f)| &*lex.folded.words[f as usize]).collect();
        let lower: Vec<&str> = out.iter().map(|&(l, _)| &*lex.lower.words[l as usize]).collect();
        let expected = words(text);
        assert_eq!(folded, expected.iter().map(|(_, f)| f.as_str()).collect::<Vec<_>>());
        assert_eq!(lower, expected.iter().map(|(e, _)| e.as_str()).collect::<Vec<_>>());
        assert_eq!(out[0], out[2], "Phường and PHƯỜNG are one word");
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
