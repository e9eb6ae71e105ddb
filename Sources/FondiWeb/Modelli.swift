import Mustache

/// The HTML of `fondi serve`: Mustache templates held in the binary (nothing to install, no CDN), every
/// `{{value}}` HTML-escaped by Mustache; `{{{corpo}}}` only ever receives HTML rendered by these templates.
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
        <title>{{titolo}} · Fondi</title><link rel="stylesheet" href="/stile.css"></head>
        <body>
        <header class="barra">
          <a class="marchio" href="/">Fondi</a>
          {{#utente}}
          <nav>
            <a href="/">Cruscotto</a><a href="/saldi">Saldi</a><a href="/residui">Residui</a><a href="/prospetto">Prospetto</a>
            <a href="/impegni">Impegni</a><a href="/scadenze">Scadenze</a><a href="/rendicontazioni">Rendicontazioni</a><a href="/storia">Storia</a><a href="/comandi">Comandi</a><a href="/chiusura">Chiusura</a><a href="/verifica">Verifica</a>
          </nav>
          <div class="chi"><a href="/utente">{{nome}}</a> <span class="ruolo">{{ruolo}}</span>
            <form method="post" action="/uscita"><input type="hidden" name="csrf" value="{{csrf}}"><button>Esci</button></form></div>
          {{/utente}}
        </header>
        {{#vista}}<p class="vista">Vista {{descrizione}} — <a href="{{oggi}}">torna a oggi</a></p>{{/vista}}
        <main>
        <h1>{{titolo}}</h1>
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
          <label>Al giorno <input type="date" name="al" value="{{al}}"></label>
          <label>Dopo l'evento <input type="number" min="1" name="fino_a" value="{{fino_a}}"></label>
          <button>Mostra</button>
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
        <ul class="comandi">{{#comandi}}<li><a href="/comandi/{{percorso}}">{{nome}}</a> — {{sintesi}}</li>{{/comandi}}</ul>
        {{^comandi}}<p>Il ruolo {{ruolo}} consulta soltanto: nessun comando di scrittura.</p>{{/comandi}}
        """),
        ("modulo", """
        <p class="sintesi">{{sintesi}}</p>
        {{#messaggio}}<p class="errore" role="alert">{{messaggio}}</p>{{/messaggio}}
        <form method="post" action="/comandi/{{percorso}}" class="modulo">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <input type="hidden" name="chiave" value="{{chiave}}">
          {{#campi}}
          <label{{#errato}} class="errato"{{/errato}}>{{etichetta}}{{#obbligatorio}} *{{/obbligatorio}}
            {{#scelta}}<select name="{{nome}}">{{#opzioni}}<option value="{{valore}}"{{#selezionata}} selected{{/selezionata}}>{{etichetta}}</option>{{/opzioni}}</select>{{/scelta}}
            {{#casella}}<input type="checkbox" name="{{nome}}" value="true"{{#spuntata}} checked{{/spuntata}}>{{/casella}}
            {{#testo}}<input name="{{nome}}" type="{{tipo}}" value="{{valore}}"{{#lista}} list="{{lista}}"{{/lista}}{{#decimale}} inputmode="decimal"{{/decimale}}>{{/testo}}
            <small>{{aiuto}}</small>
          </label>
          {{/campi}}
          {{#liste}}<datalist id="{{id}}">{{#voci}}<option value="{{.}}">{{/voci}}</datalist>{{/liste}}
          <button>Registra</button>
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

    static let stile = """
    :root { --testo: #1d2327; --tenue: #5c6670; --bordo: #d5dbe0; --accento: #0b5cab; --rosso: #b3261e; --verde: #1e6b35; }
    * { box-sizing: border-box; }
    body { font: 15px/1.45 system-ui, sans-serif; color: var(--testo); margin: 0; }
    .barra { display: flex; flex-wrap: wrap; gap: .4rem 1.5rem; align-items: center; padding: .6rem 1.2rem; background: #f3f5f7; border-bottom: 1px solid var(--bordo); }
    .barra nav a { margin-right: 1rem; color: var(--accento); text-decoration: none; }
    .barra nav { display: flex; flex-wrap: wrap; gap: .2rem 0; } .barra nav a { white-space: nowrap; }
    .marchio { font-weight: 700; text-decoration: none; color: var(--testo); }
    .chi { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
    .chi form { display: inline; }
    .ruolo { color: var(--tenue); font-size: .9em; }
    main { padding: 1rem 1.2rem 3rem; }
    h1 { font-size: 1.4rem; margin: .2rem 0 1rem; }
    h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
    section.tabella { overflow-x: auto; max-width: 100%; }
    table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: .25rem .6rem; border-bottom: 1px solid var(--bordo); text-align: left; white-space: nowrap; }
    th { background: #f7f8fa; font-weight: 600; }
    .num { text-align: right; }
    .negativo { text-align: right; color: var(--rosso); font-weight: 600; }
    tr.evidenza td { background: #fdf3e0; } tr.evidenza td:first-child { box-shadow: inset 4px 0 0 #c77700; }
    .vista { background: #fff4ce; border-bottom: 1px solid #e6c200; margin: 0; padding: .4rem 1.2rem; }
    .errore { color: var(--rosso); font-weight: 600; }
    .ok { color: var(--verde); font-weight: 600; }
    .errato input, .errato select { border-color: var(--rosso); }
    .modulo { display: grid; gap: .7rem; max-width: 40rem; }
    .modulo label { display: grid; gap: .2rem; }
    .modulo small { color: var(--tenue); }
    .stretto { max-width: 24rem; }
    .tempo { display: flex; gap: 1rem; align-items: end; margin-bottom: 1rem; }
    .avvisi { background: #fdf0ef; border: 1px solid #f2c5c1; padding: .2rem 1rem; margin-bottom: 1rem; }
    .hash { font-family: ui-monospace, monospace; font-size: .85em; }
    .hash-grande code { font-size: 1.2rem; word-break: break-all; }
    @media print { .barra, .tempo, .scarica, .vista a { display: none; } body { font-size: 11px; } }
    """
}
