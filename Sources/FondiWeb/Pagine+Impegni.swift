import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/impegni`: the impegni of a linea (the drill-down from `saldi`), searchable by number, creditore, oggetto,
/// CIG or CUP, sortable, 50 a page, answered by SQLite's indexes at the head of the ledger. With `?al=` or
/// `?fino_a=` the list is the impegni still open at that point, from the same state as the reports.
extension Pagine {
    func impegni(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let v = try Self.valori(request, .impegni)
            let al = try v.data("al"), fino = try v.seq("fino-a")
            var r = RicercaImpegni(fonte: try v.codiceOpzionale("fonte")?.testo, servizio: try v.codiceOpzionale("servizio")?.testo,
                                   esercizio: try v.annoOpzionale("esercizio"), testo: try v.testoOpzionale("q")?.testo)
            r.ordine = RicercaImpegni.Ordine(rawValue: try v.scelta("ordina", tra: RicercaImpegni.Ordine.allCases.map(\.rawValue), predefinita: "numero"))!
            r.discendente = try v.scelta("verso", tra: ["su", "giu"], predefinita: "su") == "giu"
            r.soloDaPagare = v.testoGrezzo("da_pagare") == "true" || v.testoGrezzo("da_pagare") == "on"
            if let p = v.testoGrezzo("pagina") {
                r.pagina = Int(try Lettura.intero(p, campo: "pagina", tra: 1...Int64(RicercaImpegni.paginaMax), atteso: "un numero di pagina"))
            }
            let formato = request.uri.queryParameters.get("formato")
            // A download carries every impegno of the search, up to 200 pages (10,000 rows).
            let ricerca = r
            let archivio = self.archivio
            func trovati(_ ricerca: RicercaImpegni) async throws -> ([Impegno], Int) {
                try await archivio.usa(.lettura) { registro -> ([Impegno], Int) in
                    guard al != nil || fino != nil else { return try registro.cerca(ricerca) }
                    let stato = try archivio.stato(registro, al: al, fino: fino, impegni: true)
                    return ricerca.scegli(stato.impegni.values)
                }
            }
            if let formato {
                // One connection, and with `al` / `fino_a` one fold, for every page of the download.
                let tutti = try await archivio.usa(.lettura) { registro -> [Impegno] in
                    var pagina = ricerca
                    pagina.pagina = 1
                    let stato = al != nil || fino != nil ? try archivio.stato(registro, al: al, fino: fino, impegni: true) : nil
                    var tutti: [Impegno] = []
                    while true {
                        let (lotto, totale) = try stato.map { pagina.scegli($0.impegni.values) } ?? registro.cerca(pagina)
                        tutti += lotto
                        guard tutti.count < totale, !lotto.isEmpty, pagina.pagina < 200 else { return tutti }
                        pagina.pagina += 1
                    }
                }
                let filtri = [("fonte", ricerca.fonte), ("servizio", ricerca.servizio), ("esercizio", ricerca.esercizio.map(String.init))]
                return try Self.scaricamento([Self.tabellaImpegni(tutti)], formato: formato, nome: Self.nomeFile("impegni", filtri, al: al, fino: fino))
            }
            func fai() async throws -> String {
                let (trovati, totale) = try await trovati(ricerca)
                let t = Self.tabellaImpegni(trovati)
                var corpo = Self.moduloRicerca(request, ricerca)
                let pagine = totale > RicercaImpegni.perPagina ? ", pagina \(ricerca.pagina)" : ""
                corpo += Self.tabellaHTML(t, titolo: "\(totale) \(totale == 1 ? "impegno" : "impegni")" + pagine,
                                          scarica: (Self.inFormato(request, "csv"), Self.inFormato(request, "xlsx")), totali: true)
                if totale > RicercaImpegni.perPagina { corpo += "<p class=\"nota\">Il totale è quello delle righe di questa pagina; il file scaricato le contiene tutte.</p>" }
                corpo += Self.paginazione(request, pagina: ricerca.pagina, totale: totale)
                return corpo
            }
            // The page's body is kept per chain head, like the reports' (ADR 0015): a text search scans the table.
            let corpo = try await archivio.pagina(request.uri.path + "?" + (request.uri.query ?? ""), fai)
            return pagina("Impegni", corpo, context, vista: Self.vista(request, al: al, fino: fino))
        } catch {
            return errore(error, context)
        }
    }

    /// An impegno's riduzioni, eliminazioni and reimputazioni, and the impegni it was reimputed into.
    static func variazioni(_ traccia: [EventoRegistrato], _ numero: String) -> (Tabella, [String]) {
        var tr = Tabella(nome: "variazioni", colonne: ["seq", "data", "variazione", "importo", "motivo"])
        var reimputazioni: [String] = []
        for ev in traccia {
            switch ev.evento {
            case let .impegnoRidotto(n, importo, motivo) where n == numero:
                tr.righe.append([.intero(ev.seq), .data(ev.data), .testo("riduzione"), .importo(importo.centesimi), .testo(motivo)])
            case let .residuoEliminato(n, importo, motivo) where n == numero:
                tr.righe.append([.intero(ev.seq), .data(ev.data), .testo("eliminazione di residuo"), .importo(importo.centesimi), .testo(motivo)])
            case let .impegnoReimputato(n, importo, esercizio, nuovo) where n == numero:
                tr.righe.append([.intero(ev.seq), .data(ev.data), .testo("reimputazione al \(esercizio)"), .importo(importo.centesimi), .testo("nuovo impegno \(nuovo)")])
                reimputazioni.append(nuovo)
            default: break
            }
        }
        return (tr, reimputazioni)
    }

    static func tabellaImpegni(_ impegni: [Impegno]) -> Tabella {
        var t = Tabella(nome: "impegni", colonne: ["impegno", "fonte", "servizio", "esercizio", "creditore", "oggetto", "impegnato", "liquidato",
                                                   "pagato", "da_liquidare", "da_pagare", "cig", "cup"])
        for i in impegni {
            t.righe.append([.testo(i.numero), .testo(i.linea.fonte), .testo(i.linea.servizio), .intero(Int64(i.linea.esercizio)), .testo(i.creditore),
                            .testo(i.oggetto), .importo(i.impegnato), .importo(i.liquidato), .importo(i.pagato), .importo(i.daLiquidare),
                            .importo(i.daPagare), i.cig.map(Cella.testo) ?? .nullo, i.cup.map(Cella.testo) ?? .nullo])
        }
        return t
    }

    /// The search: the filters visible and editable (fonte, servizio, esercizio, text), with a link that clears them.
    static func moduloRicerca(_ request: Request, _ r: RicercaImpegni) -> String {
        let nascosti = request.uri.queryParameters.filter { ["al", "fino_a"].contains(String($0.key)) }
            .map { "<input type=\"hidden\" name=\"\(escape(String($0.key)))\" value=\"\(escape(String($0.value)))\">" }.joined()
        let filtri = r.fonte != nil || r.servizio != nil || r.esercizio != nil || r.testo != nil || r.soloDaPagare
        let togli = filtri ? " <a href=\"/impegni\">Togli i filtri</a>" : ""
        let ordini = RicercaImpegni.Ordine.allCases.map { o in
            "<option value=\"\(o.rawValue)\"\(o == r.ordine ? " selected" : "")>\(Rendering.intestazione(o.rawValue))</option>"
        }.joined()
        return """
            <form method="get" class="tempo filtri">\(nascosti)
            <label>Fonte <input name="fonte" value="\(escape(r.fonte ?? ""))" size="14"></label>
            <label>Servizio <input name="servizio" value="\(escape(r.servizio ?? ""))" size="8"></label>
            <label>Esercizio <input name="esercizio" value="\(r.esercizio.map(String.init) ?? "")" size="5" inputmode="numeric"></label>
            <label>Cerca (numero, creditore, oggetto, CIG, CUP) <input name="q" value="\(escape(r.testo ?? ""))"></label>
            <label>Ordina per <select name="ordina">\(ordini)</select></label>
            <label>Verso <select name="verso"><option value="su"\(r.discendente ? "" : " selected")>crescente</option><option value="giu"\(r.discendente ? " selected" : "")>decrescente</option></select></label>
            <label><input type="checkbox" name="da_pagare" value="true"\(r.soloDaPagare ? " checked" : "")> solo con somme da pagare</label>
            <button>Cerca</button>\(togli)</form>
            """
    }

    static func paginazione(_ request: Request, pagina: Int, totale: Int) -> String {
        let pagine = max(1, (totale + RicercaImpegni.perPagina - 1) / RicercaImpegni.perPagina)
        guard pagine > 1 else { return "" }
        func link(_ p: Int) -> String {
            let resto = request.uri.queryParameters.filter { $0.key != "pagina" && $0.key != "registrati" }.map { "\($0.key)=\(String($0.value).percentoCodificato)" }
            return request.uri.path + "?" + (resto + ["pagina=\(p)"]).joined(separator: "&")
        }
        var out = "<p class=\"pagine\">"
        if pagina > 1 { out += "<a href=\"\(escape(link(pagina - 1)))\">← precedente</a> " }
        out += "pagina \(pagina) di \(pagine)"
        if pagina < pagine { out += " <a href=\"\(escape(link(pagina + 1)))\">successiva →</a>" }
        return out + "</p>"
    }
}

/// `/impegno?numero=`: one impegno, the drill-down's last step before the raw events: what it is, its figures,
/// its liquidazioni and mandati, riduzioni, eliminazioni and reimputazioni, then its trail (seq, date, act,
/// user, recorded at, hash) with a link to each raw event. Everything comes from the impegno's own events,
/// read through its index (ADR 0016) and folded alone, so the page costs the same on any ledger, and `?al=` /
/// `?fino_a=` show the impegno as it was then.
extension Pagine {
    func impegno(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let v = try Self.valori(request, .impegno)
            let al = try v.data("al"), fino = try v.seq("fino-a")
            guard let numero = try v.codiceOpzionale("numero")?.testo else { throw ErroreValore("indica il numero dell'impegno (numero)") }
            let traccia = try await archivio.usa(.lettura) { registro -> [EventoRegistrato] in
                if let fino { try Vista.controllaFino(fino, registro) }
                guard try registro.esisteImpegno(numero) else { throw Rifiuto(regola: "4.1", "impegno '\(numero)' sconosciuto") }
                var eventi: [EventoRegistrato] = []
                try Vista.eventiStoria(registro, .impegno(numero, origini: try registro.origini(impegno: numero)), al: al, fino: fino) { eventi.append($0) }
                return eventi
            }
            var stato = Stato()
            stato.tollerante = true
            for e in traccia { stato.applica(e.evento, seq: e.seq, data: e.data, atto: e.atto) }
            let vista = Self.vista(request, al: al, fino: fino)
            guard let i = stato.impegni[numero] else {
                let testo = "L'impegno \(numero) non era ancora stato assunto \(vista?.descrizione ?? "")."
                return pagina("Impegno \(numero)", Modelli.rendi("testo", ["testo": testo]), context, vista: vista)
            }
            func link(_ n: String) -> String { "<a href=\"/impegno?numero=\(Self.escape(n.percentoCodificato))\">\(Self.escape(n))</a>" }
            let e = Self.escape
            let ruolo = context.sessione?.utente.ruolo ?? .consultazione
            var corpo = vista == nil ? Self.azioniImpegno(i, ruolo: ruolo) : ""
            corpo += "<dl class=\"evento\">"
            let campi: [(String, String)] = [
                ("linea", "<a href=\"/impegni?fonte=\(e(i.linea.fonte.percentoCodificato))&servizio=\(e(i.linea.servizio.percentoCodificato))&esercizio=\(i.linea.esercizio)\">\(e(i.linea.description))</a>"),
                ("data", i.data.italiano), ("creditore", e(i.creditore)), ("oggetto", e(i.oggetto)),
                ("CIG", e(i.cig ?? "—")), ("CUP", e(i.cup ?? "—")),
                ("prenotazione", i.prenotazione.map { "<a href=\"/storia?prenotazione=\(e($0.percentoCodificato))\">\(e($0))</a>" } ?? "—"),
                ("reimputato da", i.origine.map(link) ?? "—"),
            ]
            for (n, valore) in campi { corpo += "<dt>\(n)</dt><dd>\(valore)</dd>" }
            corpo += "</dl>"
            var cifre = Tabella(nome: "impegno", colonne: ["assunto", "ridotto", "eliminato", "reimputato", "impegnato", "liquidato", "pagato", "da_liquidare", "da_pagare"])
            cifre.righe = [[.importo(i.assunto), .importo(i.ridotto), .importo(i.eliminato), .importo(i.reimputato), .importo(i.impegnato),
                            .importo(i.liquidato), .importo(i.pagato), .importo(i.daLiquidare), .importo(i.daPagare)]]
            corpo += Self.cifreHTML(cifre)

            corpo += Self.liquidazioniEMandati(stato, numero, ruolo: vista == nil ? ruolo : nil)
            let (tr, reimputazioni) = Self.variazioni(traccia, numero)
            corpo += "<h2>Riduzioni, eliminazioni e reimputazioni</h2>" + (tr.righe.isEmpty ? "<p>Nessuna.</p>" : Self.tabellaHTML(tr, titolo: nil))
            if !reimputazioni.isEmpty { corpo += "<p>Reimputato negli impegni " + reimputazioni.map(link).joined(separator: ", ") + ".</p>" }

            var tt = Tabella(nome: "eventi", colonne: ["seq", "data", "tipo", "atto", "utente", "registrato_il", "importo", "descrizione", "hash"])
            tt.righe = traccia.map { ev in
                [.intero(ev.seq), .data(ev.data), .testo(ev.evento.tipoEvento.inParole), ev.atto.map(Cella.testo) ?? .nullo, .testo(ev.utente), .testo(Self.oraLocale(ev.registratoIl)),
                 ev.evento.importo.map(Cella.importo) ?? .nullo, .testo(ev.evento.sintesi), .testo(String(ev.hash.prefix(16)) + "…")]
            }
            corpo += "<h2>Traccia degli eventi</h2>" + Self.tabellaHTML(tt, titolo: nil)
            return pagina("Impegno \(numero)", Self.moduloTempo(request, al: al, fino: fino) + corpo, context, vista: vista)
        } catch {
            return errore(error, context)
        }
    }
}

extension Pagine {
    /// The acts that follow from an impegno, each a link to its form filled in from it; only those the role may give
    /// and the impegno's figures allow (nothing to liquidate, nothing to reduce).
    static func azioniImpegno(_ i: Impegno, ruolo: Ruolo) -> String {
        let n = i.numero, eu = Importo.formatoItaliano
        var voci: [(comando: String, etichetta: String, valori: [(String, String)])] = []
        if i.daLiquidare > 0 {
            voci.append(("liquida", "Liquida", [("impegno", n), ("importo", eu(i.daLiquidare))]))
            voci.append(("impegno riduci", "Riduci", [("impegno", n), ("importo", eu(i.daLiquidare))]))
            voci.append(("impegno reimputa", "Reimputa", [("impegno", n), ("importo", eu(i.daLiquidare)), ("esercizio", "\(i.linea.esercizio + 1)"),
                                                          ("numero", "\(i.linea.esercizio + 1)/da-" + n.replacingOccurrences(of: "/", with: "-"))]))
        }
        if i.daLiquidare > 0 { voci.append(("residuo elimina", "Elimina residuo", [("impegno", n), ("importo", eu(i.daLiquidare))])) }
        return azioni(voci, ruolo: ruolo)
    }
}

extension Pagine {
    /// An impegno's liquidazioni (with Paga and Annulla for a role that may, `ruolo` nil in a view of the past) and mandati.
    static func liquidazioniEMandati(_ stato: Stato, _ numero: String, ruolo: Ruolo?) -> String {
        var corpo = ""
            let liquidazioni = stato.liquidazioni.values.filter { $0.impegno == numero }.sorted { ($0.data, $0.numero) < ($1.data, $1.numero) }
            var tl = Tabella(nome: "liquidazioni", colonne: ["liquidazione", "data", "importo", "annullato", "pagato", "da_pagare"])
            tl.righe = liquidazioni.map { [.testo($0.numero), .data($0.data), .importo($0.importo), .importo($0.annullato), .importo($0.pagato), .importo($0.daPagare)] }
            let azioniLiquidazione: (([Cella]) -> [(etichetta: String, link: String)])? = ruolo == nil ? nil : { riga in
                guard case let .testo(n) = riga[0], case let .importo(x) = riga[5], x > 0 else { return [] }
                let importo = Importo.formatoItaliano(x).percentoCodificato
                return [("paga", "Paga"), ("liquidazione annulla", "Annulla")].filter { Autorizzazione.puo(ruolo!, $0.0) }.map {
                    ($0.1, "/comandi/\($0.0.replacingOccurrences(of: " ", with: "-"))?liquidazione=\(n.percentoCodificato)&importo=\(importo)")
                }
            }
            corpo += "<h2>Liquidazioni</h2>" + (tl.righe.isEmpty ? "<p>Nessuna liquidazione.</p>" : tabellaHTML(tl, titolo: nil, totali: true, azione: azioniLiquidazione))
            let proprie = Set(liquidazioni.map(\.numero))
            var tm = Tabella(nome: "mandati", colonne: ["mandato", "liquidazione", "data", "importo"])
            tm.righe = stato.mandati.values.filter { proprie.contains($0.liquidazione) }.sorted { ($0.data, $0.numero) < ($1.data, $1.numero) }
                .map { [.testo($0.numero), .testo($0.liquidazione), .data($0.data), .importo($0.importo)] }
            corpo += "<h2>Mandati</h2>" + (tm.righe.isEmpty ? "<p>Nessun mandato.</p>" : tabellaHTML(tm, titolo: nil, totali: true))

        return corpo
    }
}
