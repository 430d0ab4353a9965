// The search page's script: folds the query as the index was folded (src/render/search.rs),
// fetches the shards of its terms and the records of the hits it shows, nothing else.
// Runs in the browser only; nothing leaves the reader's machine but requests for the
// site's own files.
(function () {
  'use strict';
  var box = document.getElementById('tim-kiem');
  if (!box || !window.fetch) { return; }
  var d = box.dataset;
  var shards = parseInt(d.shards, 10);
  var chunk = parseInt(d.chunk, 10);
  var form = document.querySelector('form.search-form');
  var input = document.getElementById('q');
  var status = document.getElementById('tim-kiem-trang-thai');
  var list = document.getElementById('ket-qua-tim-kiem');
  var more = document.getElementById('xem-them');
  var PAGE = 20;
  var cache = {};

  // As search.rs: lower case, marks U+0300–U+036F dropped (after NFD), đ → d.
  function fold(w) {
    return w.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/đ/g, 'd');
  }
  function words(text) {
    return text.normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(function (w) {
      var exact = w.toLowerCase();
      return { exact: exact, folded: fold(exact) };
    });
  }
  // FNV-1a, 32 bits, over the UTF-8 bytes: the shard a term is in (search.rs shard_of).
  function shardOf(term) {
    var h = 0x811c9dc5;
    var bytes = new TextEncoder().encode(term);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }
  function get(path) {
    if (!cache[path]) {
      cache[path] = fetch(d.index + path).then(function (r) {
        if (!r.ok) { throw new Error(path + ': ' + r.status); }
        return r.json();
      });
    }
    return cache[path];
  }
  function fill(template, args) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in args ? args[k] : m; });
  }
  function number(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  }

  // A term's items: id → whether the item has it in the form the query wrote.
  function lookup(term) {
    return get('s/' + shardOf(term.folded) + '.json').then(function (shard) {
      var e = shard[term.folded];
      if (!e) { return { count: 0, items: new Map(), listed: 0 }; }
      var forms = e[1], v = forms.length, items = new Map(), id = 0;
      var exactForm = forms.indexOf(term.exact);
      e[2].forEach(function (p) {
        var form = p % v;
        id += (p - form) / v;
        items.set(id, items.get(id) || form === exactForm);
      });
      return { count: e[0], items: items, listed: items.size };
    });
  }

  // Items having every term, best first: more terms in the query's own form, then rank.
  function match(terms) {
    return Promise.all(terms.map(lookup)).then(function (found) {
      found.sort(function (a, b) { return a.listed - b.listed; });
      var hits = [];
      found[0].items.forEach(function (exact, id) {
        var score = exact ? 1 : 0;
        for (var i = 1; i < found.length; i++) {
          if (!found[i].items.has(id)) { return; }
          if (found[i].items.get(id)) { score++; }
        }
        hits.push({ id: id, score: score });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      // With one term its count is exact; with more, the hits found, and more when a
      // term listed only its first items.
      var cut = found.some(function (f) { return f.count > f.listed; });
      var total = found.length === 1 ? found[0].count : hits.length;
      return { hits: hits, total: Math.max(total, hits.length), more: cut && found.length > 1 };
    });
  }

  // Words alone, or for a query of several words its pairs of adjacent words (the
  // index has those too), which pick out a phrase among common words.
  function search(q) {
    var ws = words(q);
    if (!ws.length) { return Promise.resolve(null); }
    if (ws.length === 1) { return match(ws); }
    var pairs = [];
    for (var i = 0; i + 1 < ws.length; i++) {
      pairs.push({ exact: ws[i].exact + ' ' + ws[i + 1].exact, folded: ws[i].folded + ' ' + ws[i + 1].folded });
    }
    return match(pairs).then(function (r) { return r.hits.length ? r : match(ws); });
  }

  // A record file is [places, records]: a place [where, page], a record
  // [kind, title, place, anchor, [[status, label], …]] (search.rs Record).
  function record(id) {
    return get('r/' + Math.floor(id / chunk) + '.json').then(function (file) {
      var rec = file[1][id % chunk], place = file[0][rec[2]];
      // The index is the site's, shared by its editions: an edition's page links to its
      // own copy of the page (data-home, "/en/" beside data-root "/").
      var url = place[1] + rec[3];
      if (d.home !== d.root && url.indexOf(d.root) === 0) { url = d.home + url.slice(d.root.length); }
      return { kind: rec[0], title: rec[1], sub: place[0], url: url, status: rec[4] };
    });
  }

  function show(r) {
    var li = document.createElement('li');
    var kind = document.createElement('span');
    kind.className = 'search-kind';
    kind.textContent = d['kind' + r.kind.toUpperCase()] || '';
    var a = document.createElement('a');
    a.href = r.url;
    a.textContent = r.title;
    var head = document.createElement('p');
    head.className = 'search-title';
    head.append(kind, ' ', a);
    li.append(head);
    if (r.sub || r.status.length) {
      var sub = document.createElement('p');
      sub.className = 'small muted';
      sub.textContent = r.sub;
      r.status.forEach(function (s) {
        var b = document.createElement('span');
        b.className = 'status status-' + s[0];
        // The status's name in the page's language; the index holds the site's.
        b.textContent = d['status' + s[0].replace(/(^|-)([a-z])/g, function (m, _, c) { return c.toUpperCase(); })] || s[1];
        sub.append(' ', b);
      });
      li.append(sub);
    }
    return li;
  }

  var current = 0, hits = [], total = 0, beyond = false, shown = 0, query = '';
  function say() {
    var args = { n: number(total), shown: number(shown), q: query };
    status.textContent = fill(beyond ? d.foundMore : shown < total ? d.foundSome : d.found, args);
  }
  function next(run) {
    var page = hits.slice(shown, shown + PAGE);
    return Promise.all(page.map(function (h) { return record(h.id); })).then(function (rs) {
      if (run !== current) { return; }
      rs.forEach(function (r) { if (r) { list.append(show(r)); } });
      shown += page.length;
      more.hidden = shown >= hits.length;
      say();
    });
  }
  function run(q) {
    var mine = ++current;
    query = q.trim();
    list.textContent = '';
    more.hidden = true;
    shown = 0;
    if (!query) { status.textContent = ''; return Promise.resolve(); }
    status.textContent = d.searching;
    return search(query).then(function (r) {
      if (mine !== current) { return; }
      hits = r ? r.hits : [];
      total = r ? r.total : 0;
      beyond = !!(r && r.more);
      if (!hits.length) { status.textContent = fill(d.none, { q: query }); return; }
      return next(mine);
    }).catch(function () {
      if (mine === current) { status.textContent = d.failed; }
    });
  }

  document.getElementById('can-javascript').hidden = true;
  more.addEventListener('click', function () { next(current); });
  var timer;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var u = new URL(location.href);
      if (input.value.trim()) { u.searchParams.set('q', input.value.trim()); } else { u.searchParams.delete('q'); }
      history.replaceState(null, '', u);
      run(input.value);
    }, 200);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  var q = new URL(location.href).searchParams.get('q');
  if (q) { input.value = q; run(q); }
  // For the browser test (tests/search.rs): a query run as typed, and the folding and
  // sharding it compares with search.rs.
  window.minhbachSearch = {
    run: function (text) { input.value = text; return run(text); },
    fold: fold,
    shard: shardOf
  };
})();
