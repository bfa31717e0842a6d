// Fills #jaunumi from the JSON endpoint, one page at a time; "Rādīt vairāk" loads the next one.
(function () {
  var list = document.getElementById("jaunumi");
  var more = document.getElementById("vairak");
  var loading = document.getElementById("ielade");
  var next = "/api/news?page=1";

  function entry(item) {
    var li = document.createElement("li");
    li.className = "news-item";
    var a = document.createElement("a");
    a.href = item.url;
    a.textContent = item.title;
    var date = document.createElement("span");
    date.className = "date";
    date.textContent = item.date.split("-").reverse().join(".");  // 2024-05-14 -> 14.05.2024
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(date);
    return li;
  }

  function load() {
    more.hidden = true;
    loading.hidden = false;
    fetch(next, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        data.items.forEach(function (item) { list.appendChild(entry(item)); });
        next = data.next;
        loading.hidden = true;
        more.hidden = !next;
      });
  }

  more.addEventListener("click", load);
  // the list arrives a little after the page, as on the real sites
  setTimeout(load, 150);
})();
