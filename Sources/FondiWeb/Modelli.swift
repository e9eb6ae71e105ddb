import Mustache

/// The HTML of `fondi serve`: Mustache templates held in the binary (nothing to install, no CDN), every
/// `{{value}}` HTML-escaped by Mustache; `{{{corpo}}}` and `{{{liste}}}` only ever receive HTML rendered by these
/// templates or written by functions that escape every value (`Pagine.escape`).
enum Modelli {
    static let libreria: MustacheLibrary = {
        var l = MustacheLibrary()
        do {
            for (nome, testo) in tutti { try l.register(testo, named: nome) }
        } catch {
            preconditionFailure("modello HTML non valido: \(error)")
        }
        return l
    }()

    static func rendi(_ nome: String, _ contesto: [String: Any]) -> String {
        guard let html = libreria.render(contesto, withTemplate: nome) else { preconditionFailure("modello \(nome) assente") }
        return html
    }

    static let tutti: [(String, String)] = [
        ("pagina", """
        <!doctype html>
        <html lang="it"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{titolo}} · Fondi</title><link rel="stylesheet" href="/stile.css"><link rel="icon" href="/favicon.svg" type="image/svg+xml"><script src="/fondi.js" defer></script></head>
        <body>
        <a class="salta" href="#contenuto">Vai al contenuto</a>
        <header class="barra">
          <a class="marchio" href="/">Fondi</a>
          {{#utente}}
          <nav aria-label="Menu principale">
            <a href="/">Cruscotto</a><a href="/saldi">Saldi</a><a href="/residui">Residui</a><a href="/prospetto">Prospetto</a>
            <a href="/impegni">Impegni</a><a href="/prenotazioni">Prenotazioni</a><a href="/accertamenti">Accertamenti</a><a href="/scadenze">Scadenze</a><a href="/rendicontazioni">Rendicontazioni</a><a href="/storia">Storia</a>{{#scrive}}<a href="/comandi">Comandi</a>{{/scrive}}{{#responsabile}}<a href="/chiusura">Chiusura</a><a href="/utenti">Utenti</a>{{/responsabile}}<a href="/verifica">Verifica</a>
          </nav>
          <div class="chi"><a href="/utente" title="Il tuo profilo e la password">{{nome}}</a> <span class="ruolo">{{ruolo}}</span>
            <form method="post" action="/uscita"><input type="hidden" name="csrf" value="{{csrf}}"><button>Esci</button></form></div>
          {{/utente}}
        </header>
        {{#vista}}<p class="vista">Vista {{descrizione}} — <a href="{{oggi}}">torna a oggi</a></p>{{/vista}}
        <main id="contenuto" tabindex="-1">
        <h1>{{titolo}}</h1>
        {{#avviso}}<p class="ok" role="status">{{testo}} <a href="{{link}}">Vedi gli eventi e i loro hash</a></p>{{/avviso}}
        {{{corpo}}}
        </main>
        </body></html>
        """),
        ("accesso", """
        {{#messaggio}}<p class="errore" role="alert">{{messaggio}}</p>{{/messaggio}}
        <form method="post" action="/accesso" class="modulo stretto">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label>Nome <input name="nome" autocomplete="username" required autofocus value="{{nome}}"></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button>Accedi</button>
        </form>
        """),
        ("tempo", """
        <form method="get" class="tempo">
          {{#nascosti}}<input type="hidden" name="{{nome}}" value="{{valore}}">{{/nascosti}}
          <label>Al giorno <input name="al" value="{{al}}" placeholder="gg/mm/aaaa" inputmode="numeric" size="10"></label>
          <label>Fino all'evento n. <input type="number" min="1" name="fino_a" value="{{fino_a}}" size="8"></label>
          <button>Mostra</button>{{#ciSonoFiltri}} <a href="{{senza}}">Togli la data</a>{{/ciSonoFiltri}}
        </form>
        """),
        ("tabella", """
        <section class="tabella">
        {{#titolo}}<h2>{{titolo}}</h2>{{/titolo}}
        <table><thead><tr>{{#colonne}}<th{{#destra}} class="num"{{/destra}}>{{nome}}</th>{{/colonne}}</tr></thead>
        <tbody>{{#righe}}<tr>{{#celle}}<td{{#classe}} class="{{classe}}"{{/classe}}>{{#link}}<a href="{{link}}">{{testo}}</a>{{/link}}{{^link}}{{testo}}{{/link}}</td>{{/celle}}</tr>{{/righe}}
        {{^righe}}<tr><td colspan="{{larghezza}}">nessuna riga</td></tr>{{/righe}}</tbody></table>
        {{#scarica}}<p class="scarica">Scarica: <a href="{{csv}}">CSV</a> · <a href="{{xlsx}}">Excel (xlsx)</a></p>{{/scarica}}
        </section>
        """),
        ("avvisi", """
        {{#ciSonoAvvisi}}<section class="avvisi"><h2>Da guardare</h2><ul>{{#avvisi}}<li>{{#link}}<a href="{{link}}">{{/link}}{{testo}}{{#link}}</a>{{/link}}</li>{{/avvisi}}</ul></section>{{/ciSonoAvvisi}}
        """),
        ("comandi", """
        {{#responsabile}}<nav class="azioni" aria-label="Altre operazioni"><a class="azione" href="/importa">Importa un file di comandi</a><a class="azione" href="/istantanee">Istantanee</a><a class="azione" href="/utenti">Utenti</a></nav>{{/responsabile}}
        <ul class="comandi">{{#comandi}}<li><a href="/comandi/{{percorso}}">{{nome}}</a> — {{sintesi}}</li>{{/comandi}}</ul>
        {{^comandi}}<p>Il ruolo {{ruolo}} consulta soltanto: nessun comando di scrittura.</p>{{/comandi}}
        """),
        ("modulo", """
        <p class="sintesi">{{sintesi}}</p>
        {{#ciSonoErrori}}<div class="riepilogo" role="alert"><p class="errore">{{intro}}</p><ul>{{#errori}}<li><a href="#campo-{{nome}}">{{testo}}</a></li>{{/errori}}</ul></div>{{/ciSonoErrori}}
        {{#messaggio}}<p class="errore" role="alert">{{messaggio}}</p>{{/messaggio}}
        <p class="contesto" id="cifre" aria-live="polite"{{^disponibile}} hidden{{/disponibile}}>{{disponibile}}</p>
        <form method="post" action="/comandi/{{percorso}}" class="modulo" novalidate data-cifre>
          <input type="hidden" name="csrf" value="{{csrf}}">
          <input type="hidden" name="chiave" value="{{chiave}}">
          {{#campi}}
          <div class="campo{{#errato}} errato{{/errato}}">
            <label for="campo-{{nome}}">{{etichetta}}{{#obbligatorio}} <span class="obbligo" aria-hidden="true">*</span>{{/obbligatorio}}</label>
            {{#erroreCampo}}<p class="errore" id="errore-{{nome}}">{{erroreCampo}}</p>{{/erroreCampo}}
            {{#scelta}}<select id="campo-{{nome}}" name="{{nome}}" aria-describedby="aiuto-{{nome}}"{{#obbligatorio}} required{{/obbligatorio}}>{{#opzioni}}<option value="{{valore}}"{{#selezionata}} selected{{/selezionata}}>{{etichetta}}</option>{{/opzioni}}</select>{{/scelta}}
            {{#casella}}<input id="campo-{{nome}}" type="checkbox" name="{{nome}}" value="true" aria-describedby="aiuto-{{nome}}"{{#spuntata}} checked{{/spuntata}}>{{/casella}}
            {{#testo}}<input id="campo-{{nome}}" name="{{nome}}" type="text" value="{{valore}}" aria-describedby="aiuto-{{nome}}"{{#obbligatorio}} required{{/obbligatorio}}{{#lista}} list="{{lista}}"{{/lista}}{{#segnaposto}} placeholder="{{segnaposto}}"{{/segnaposto}}{{#decimale}} inputmode="decimal"{{/decimale}}{{#numerico}} inputmode="numeric"{{/numerico}}>{{/testo}}
            <small id="aiuto-{{nome}}">{{aiuto}}</small>
          </div>
          {{/campi}}
          {{{liste}}}
          {{#conferma}}<div class="campo conferma"><label for="campo-conferma">{{conferma}} <span class="obbligo" aria-hidden="true">*</span></label>
            <input id="campo-conferma" name="conferma" required autocomplete="off" value=""></div>{{/conferma}}
          <p><button>{{bottone}}</button>{{#annulla}} <a href="{{annulla}}">Annulla</a>{{/annulla}}</p>
        </form>
        """),
        ("registrato", """
        <p class="ok">{{esito}}</p>
        <table><thead><tr><th class="num">Seq</th><th>Data</th><th>Tipo</th><th>Cosa</th><th>Hash</th></tr></thead><tbody>
        {{#eventi}}<tr><td class="num"><a href="/eventi/{{seq}}">{{seq}}</a></td><td>{{data}}</td><td>{{tipo}}</td><td>{{frase}}</td><td class="hash">{{hash}}</td></tr>{{/eventi}}
        </tbody></table>
        {{#hash}}<p class="hash-grande">Hash di chiusura da riportare nell'atto:<br><code>{{hash}}</code><br><a href="/verifica?digest={{hash}}">verificalo</a></p>{{/hash}}
        <p><a href="/comandi">Altri comandi</a></p>
        """),
        ("verifica", """
        <form method="get" class="modulo stretto"><label>Hash da provare (facoltativo) <input name="digest" value="{{digest}}" size="70"></label>
        <label><input type="checkbox" name="avanzamento" value="1"> mostra l'avanzamento (registri grandi)</label><button>Verifica</button></form>
        <p><a href="/istantanee">Le istantanee e i loro digest</a></p>
        {{#esito}}{{> esito-verifica}}{{/esito}}
        """),
        ("esito-verifica", """
        <p class="{{classe}}">{{messaggio}}</p>
        <dl><dt>Eventi</dt><dd>{{eventi}}</dd><dt>Testa della catena</dt><dd class="hash">{{testa}}</dd></dl>
        {{#ciSonoDifferenze}}<ul>{{#differenze}}<li>{{.}}</li>{{/differenze}}</ul>{{/ciSonoDifferenze}}
        """),
        ("evento", """
        <dl class="evento">{{#campi}}<dt>{{nome}}</dt><dd>{{valore}}</dd>{{/campi}}</dl>
        <pre>{{grezzo}}</pre>
        """),
        ("testo", "<p>{{testo}}</p>"),
    ]

    /// `/fondi.js`: a form's figures (`#cifre`) follow its fonte, servizio, esercizio, impegno, liquidazione,
    /// prenotazione and accertamento as they are typed. Text only (`textContent`); nothing else is scripted.
    static let script = """
        "use strict";
        (function () {
          var box = document.getElementById("cifre");
          var form = document.querySelector("form[data-cifre]");
          if (!box || !form) { return; }
          var nomi = ["fonte", "servizio", "esercizio", "impegno", "liquidazione", "prenotazione", "accertamento"];
          var attesa = null, ultima = "";
          function aggiorna() {
            var q = new URLSearchParams();
            nomi.forEach(function (n) { var e = form.elements.namedItem(n); if (e && e.value) { q.set(n, e.value.trim()); } });
            var url = "/cifre?" + q.toString();
            if (url === ultima) { return; }
            ultima = url;
            // An ended session answers with a redirect to the sign-in page: not figures, so nothing is shown.
            fetch(url, { credentials: "same-origin", redirect: "error" })
              .then(function (r) { return r.ok && (r.headers.get("Content-Type") || "").indexOf("text/plain") === 0 ? r.text() : ""; })
              .then(function (t) { if (url === ultima) { box.textContent = t; box.hidden = t === ""; } })
              .catch(function () {});
          }
          function cambiato(ev) {
            if (nomi.indexOf(ev.target.name) < 0) { return; }
            clearTimeout(attesa);
            attesa = setTimeout(aggiorna, 200);
          }
          form.addEventListener("input", cambiato);
          form.addEventListener("change", cambiato);
        })();
        """

    static let stile = """
    :root { --testo: #1d2327; --tenue: #5c6670; --bordo: #d5dbe0; --accento: #0b5cab; --rosso: #b3261e; --verde: #1e6b35; --fondo: #fff; }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { font: 15px/1.45 system-ui, sans-serif; color: var(--testo); margin: 0; background: var(--fondo); }
    a { color: var(--accento); }
    a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #f6b400; outline-offset: 1px; }
    .salta { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
    .salta:focus { left: .5rem; }
    .nascosto { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .barra { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; padding: .5rem 1.2rem; background: #f3f5f7; border-bottom: 1px solid var(--bordo); }
    .barra nav { display: flex; flex-wrap: wrap; gap: .15rem .9rem; }
    .barra nav a { text-decoration: none; white-space: nowrap; padding: .15rem 0; }
    .marchio { font-weight: 700; text-decoration: none; color: var(--testo); }
    .chi { margin-left: auto; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
    .chi form { display: inline; }
    .ruolo { color: var(--tenue); font-size: .9em; }
    main { padding: 1rem 1rem 3rem; max-width: 100%; }
    main:focus { outline: none; }
    h1 { font-size: 1.4rem; margin: .2rem 0 1rem; }
    h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
    section.tabella { overflow-x: auto; max-width: 100%; margin-bottom: .6rem; }
    table { border-collapse: separate; border-spacing: 0; font-variant-numeric: tabular-nums; font-size: 13.5px; }
    section.tabella table { width: max-content; max-width: none; }
    th, td { padding: .25rem .4rem; border-bottom: 1px solid var(--bordo); text-align: left; vertical-align: top; overflow-wrap: break-word; }
    td { max-width: 22rem; }
    section.tabella td:first-child { white-space: nowrap; }
    th { background: #f7f8fa; font-weight: 600; }
    thead th { position: sticky; top: 0; z-index: 1; }
    section.tabella th:first-child, section.tabella td:first-child { position: sticky; left: 0; background: #fff; z-index: 1; box-shadow: inset -1px 0 0 var(--bordo); }
    section.tabella thead th:first-child, section.tabella tfoot th:first-child { background: #f7f8fa; z-index: 2; }
    .num, .negativo, td.num, th.num { text-align: right; white-space: nowrap; }
    .negativo { color: var(--rosso); font-weight: 600; }
    tfoot td, tfoot th { font-weight: 700; border-top: 2px solid var(--testo); background: #f7f8fa; }
    tr.evidenza td { background: #fdf3e0; } tr.evidenza td:first-child { box-shadow: inset 4px 0 0 #c77700; }
    td.azioni { white-space: nowrap; }
    .vista { background: #fff4ce; border-bottom: 1px solid #e6c200; margin: 0; padding: .4rem 1.2rem; }
    .errore { color: var(--rosso); font-weight: 600; }
    .ok { color: var(--verde); font-weight: 600; }
    .nota { color: var(--tenue); font-size: .9em; }
    .contesto { background: #eef5fc; border-left: 4px solid var(--accento); padding: .4rem .7rem; max-width: 40rem; }
    .riepilogo { border: 3px solid var(--rosso); padding: .3rem 1rem; margin-bottom: 1rem; max-width: 40rem; }
    .errato input, .errato select { border: 2px solid var(--rosso); }
    .errato { border-left: 4px solid var(--rosso); padding-left: .6rem; }
    .modulo { display: grid; gap: .8rem; max-width: 40rem; }
    .modulo .campo { display: grid; gap: .2rem; }
    .modulo label { font-weight: 600; }
    .modulo small { color: var(--tenue); }
    .modulo .errore { margin: 0; }
    .obbligo { color: var(--rosso); }
    input, select, button { font: inherit; max-width: 100%; }
    input, select { padding: .25rem .35rem; border: 1px solid #8a949e; border-radius: 3px; }
    button { padding: .3rem .8rem; border: 1px solid var(--accento); background: var(--accento); color: #fff; border-radius: 3px; cursor: pointer; }
    button.pericolo { background: var(--rosso); border-color: var(--rosso); }
    .chi button { background: #fff; color: var(--accento); }
    .stretto { max-width: 24rem; }
    .tempo { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin-bottom: .8rem; }
    .tempo label { display: grid; gap: .1rem; font-size: .9em; }
    .filtri { background: #f7f8fa; padding: .5rem .7rem; border: 1px solid var(--bordo); }
    .schede { display: flex; flex-wrap: wrap; gap: .3rem; margin: 0 0 .8rem; border-bottom: 2px solid var(--bordo); }
    .schede a { padding: .3rem .8rem; text-decoration: none; border: 1px solid var(--bordo); border-bottom: none; border-radius: 4px 4px 0 0; }
    .schede a[aria-current] { background: var(--accento); color: #fff; font-weight: 600; }
    .azioni { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 1rem; }
    a.azione { display: inline-block; padding: .2rem .7rem; border: 1px solid var(--accento); border-radius: 3px; text-decoration: none; white-space: nowrap; }
    td a.azione { padding: 0 .4rem; }
    details.colonne { margin: .3rem 0 .5rem; }
    details.colonne .caselle { display: flex; flex-wrap: wrap; gap: .2rem 1rem; margin: .4rem 0; }
    .in-riga { display: inline-flex; gap: .3rem; align-items: center; margin: .1rem .3rem .1rem 0; flex-wrap: wrap; }
    .in-riga button { padding: .1rem .5rem; }
    .conferma { border: 2px solid var(--rosso); padding: .3rem 1rem; margin: 1rem 0; max-width: 40rem; }
    .massa { margin: .3rem 0; }
    .avvisi { background: #fdf0ef; border: 1px solid #f2c5c1; padding: .2rem 1rem; margin-bottom: 1rem; }
    .grafico svg { max-width: 100%; height: auto; }
    dl.evento { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
    dl.evento dt { font-weight: 600; } dl.evento dd { margin: 0; overflow-wrap: anywhere; }
    dl.cifre { display: flex; flex-wrap: wrap; gap: .4rem; margin: .6rem 0 1rem; }
    dl.cifre div { border: 1px solid var(--bordo); border-radius: 4px; padding: .3rem .6rem; min-width: 8rem; }
    dl.cifre dt { font-size: .85em; color: var(--tenue); } dl.cifre dd { margin: 0; font-weight: 600; text-align: left; }
    pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f7f8fa; padding: .6rem; border: 1px solid var(--bordo); font-size: 13px; }
    .hash { font-family: ui-monospace, monospace; font-size: .85em; overflow-wrap: anywhere; }
    .hash-grande code, code.hash-grande { font-size: 1.1rem; word-break: break-all; }
    .pagine a { margin: 0 .3rem; }
    ul.comandi li { margin: .2rem 0; }
    @media (max-width: 700px) {
      body { font-size: 16px; }
      .barra { padding: .5rem .7rem; gap: .3rem .8rem; }
      .barra nav { gap: .1rem .8rem; }
      .barra nav a { padding: .3rem 0; }
      .chi { margin-left: 0; width: 100%; justify-content: space-between; }
      main { padding: .8rem .7rem 2rem; }
      td { max-width: 12rem; }
      section.tabella td:first-child { max-width: 9rem; white-space: normal; overflow-wrap: anywhere; min-width: 6rem; }
      th, td { padding: .3rem .4rem; }
      input[size] { width: 100%; }
      .tempo label { width: 100%; }
      .vista { padding: .4rem .7rem; }
    }
    @media print { .barra, .tempo, .scarica, .vista a, .azioni, details.colonne, .salta { display: none; } body { font-size: 11px; } section.tabella { overflow: visible; } }
    """
}
