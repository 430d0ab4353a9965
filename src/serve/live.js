// minhbach serve: reload after each good rebuild; show the build's problems over the
// page after a failed one. Served only by `minhbach serve`, never part of the site.
(function () {
  var box = null;
  function show(text) {
    if (!box) {
      box = document.createElement('div');
      box.id = 'minhbach-problem';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:#1c1c1c;color:#fff;' +
        'overflow:auto;padding:1.5rem;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace';
      var h = document.createElement('p');
      h.style.cssText = 'font:600 16px system-ui,sans-serif;margin:0 0 1rem;color:#ffb4ab';
      h.textContent = 'Thay đổi vừa rồi chưa dựng được trang; trang bên dưới là bản đúng gần nhất. ' +
        'Sửa lỗi dưới đây, thông báo sẽ tự biến mất. (minhbach: the last change did not build.)';
      var pre = document.createElement('pre');
      pre.style.cssText = 'white-space:pre-wrap;margin:0';
      box.appendChild(h);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.querySelector('pre').textContent = text;
  }
  function hide() {
    if (box) { box.remove(); box = null; }
  }
  var es = new EventSource('/__minhbach/events');
  // Reload when this page's file changed (or everything did).
  es.addEventListener('reload', function (e) {
    var d = {};
    try { d = JSON.parse(e.data); } catch (_) { d = { all: true }; }
    var here = decodeURIComponent(location.pathname);
    if (d.all || !d.paths || d.paths.indexOf(here) >= 0 || (box && d.paths.length)) { location.reload(); }
  });
  es.addEventListener('problem', function (e) { show(JSON.parse(e.data)); });
  es.addEventListener('ok', function () { hide(); });
})();
