import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The read pages: cruscotto, saldi, residui, prospetto, storia, verifica, an event; each with time travel
/// (`?al=`, `?fino_a=`) and, for reports, CSV and xlsx downloads.
extension Pagine {
    /// The query parameters the route's handler reads (`Rotta.parametri`), as the CLI's option values (`fino_a`
    /// is `--fino-a`); others are ignored (a page's link may carry more than one page reads).
    static func valori(_ request: Request, _ rotta: Rotta) throws -> Valori {
        try valori(request, ammessi: Set(rotta.parametri.map { $0 == "fino_a" ? "fino-a" : $0 }))
    }

    private static func valori(_ request: Request, ammessi: Set<String>) throws -> Valori {
        var v = Valori(origine: .riga)
        for (k, valore) in request.uri.queryParameters {
            let nome = k == "fino_a" ? "fino-a" : String(k)
            guard ammessi.contains(nome) else { continue }
            guard !valore.isEmpty else { continue }
            if !v.imposta(nome, String(valore)) { throw ErroreUso("parametro '\(k)' ripetuto") }
        }
        return v
    }

    /// The banner of a view in the past, and the link back to today (the same page without the time).
    static func vista(_ request: Request, al: DataContabile?, fino: Int64?) -> (descrizione: String, oggi: String)? {
        guard al != nil || fino != nil else { return nil }
        var parti: [String] = []
        if let al { parti.append("al \(al.italiano)") }
        if let fino { parti.append("dopo l'evento \(fino)") }
        let resto = request.uri.queryParameters.filter { $0.key != "al" && $0.key != "fino_a" }
            .map { "\($0.key)=\(String($0.value).percentoCodificato)" }.joined(separator: "&")
        return (parti.joined(separator: ", "), request.uri.path + (resto.isEmpty ? "" : "?" + resto))
    }

    static func moduloTempo(_ request: Request, al: DataContabile?, fino: Int64?) -> String {
        let nascosti = request.uri.queryParameters.filter { !["al", "fino_a", "formato"].contains($0.key) }
            .map { ["nome": String($0.key), "valore": String($0.value)] }
        return Modelli.rendi("tempo", ["nascosti": nascosti, "al": al?.description ?? "", "fino_a": fino.map(String.init) ?? ""])
    }

    /// A report table as HTML: Italian headers and amounts, negative amounts marked, links to drill down.
    /// Written straight into one string (every value escaped): a template's dictionary per cell cost more than
    /// the report itself on a 200-fonte cruscotto.
    /// `collegamenti: false` for rows of other ledgers (the Region's view), whose codes this server cannot open.
    /// `evidenzia`: rows marked for the eye (a scadenza at risk, a figure changed since it was sent); `collega`:
    /// more columns that link, each to its prefix followed by the cell's text.
    static func tabellaHTML(_ t: Tabella, titolo: String?, scarica: (csv: String, xlsx: String)? = nil, collegamenti: Bool = true,
                            evidenzia: ([Cella]) -> Bool = { _ in false }, collega: [String: String] = [:]) -> String {
        let e = escape
        var out = "<section class=\"tabella\">\n"
        if let titolo { out += "<h2>\(e(titolo))</h2>" }
        out += "\n<table><thead><tr>"
        for (i, c) in t.colonne.enumerated() {
            let destra = t.righe.contains { if case .importo = $0[i] { true } else if case .intero = $0[i] { true } else { false } }
            out += destra ? "<th class=\"num\">" : "<th>"
            out += e(Rendering.intestazione(c)) + "</th>"
        }
        out += "</tr></thead>\n<tbody>"
        // A linea (fonte, servizio, esercizio in one row) drills down to its impegni.
        let iFonte = t.colonne.firstIndex(of: "fonte"), iServizio = t.colonne.firstIndex(of: "servizio"), iEsercizio = t.colonne.firstIndex(of: "esercizio")
        for riga in t.righe {
            var lineaLink: String?
            if collegamenti, t.nome == "righe", let f = iFonte, let s = iServizio, let es = iEsercizio, case let .testo(fv) = riga[f], case let .testo(sv) = riga[s],
               case let .intero(ev) = riga[es] {
                lineaLink = "/impegni?fonte=\(fv.percentoCodificato)&servizio=\(sv.percentoCodificato)&esercizio=\(ev)"
            }
            out += evidenzia(riga) ? "<tr class=\"evidenza\">" : "<tr>"
            for (c, cella) in zip(t.colonne, riga) {
                var link: String?
                switch cella {
                case let .importo(x): out += x < 0 ? "<td class=\"negativo\">" : "<td class=\"num\">"
                case let .intero(n):
                    out += "<td class=\"num\">"
                    if c == "seq" { link = "/eventi/\(n)" }
                default: out += "<td>"
                }
                if collegamenti, case let .testo(s) = cella {
                    switch c {
                    case "fonte": link = "/saldi?per=linea&fonte=\(s.percentoCodificato)"
                    case "impegno": link = "/impegno?numero=\(s.percentoCodificato)"
                    case "servizio": link = lineaLink
                    case "accertamento": link = "/storia?accertamento=\(s.percentoCodificato)"
                    default: link = collega[c].map { $0 + s.percentoCodificato }
                    }
                }
                let testo = e(Rendering.testoCella(cella))
                out += link.map { "<a href=\"\(e($0))\">\(testo)</a>" } ?? testo
                out += "</td>"
            }
            out += "</tr>"
        }
        if t.righe.isEmpty { out += "\n<tr><td colspan=\"\(t.colonne.count)\">nessuna riga</td></tr>" }
        out += "</tbody></table>\n"
        if let scarica { out += "<p class=\"scarica\">Scarica: <a href=\"\(e(scarica.csv))\">CSV</a> · <a href=\"\(e(scarica.xlsx))\">Excel (xlsx)</a></p>" }
        return out + "\n</section>"
    }

    /// The link of the same page in another format.
    static func inFormato(_ request: Request, _ formato: String) -> String {
        let resto = request.uri.queryParameters.filter { $0.key != "formato" }.map { "\($0.key)=\(String($0.value).percentoCodificato)" }
        return request.uri.path + "?" + (resto + ["formato=\(formato)"]).joined(separator: "&")
    }

    /// A download: CSV (the CLI's `--formato csv`) or a workbook (`--formato xlsx`).
    static func scaricamento(_ tabelle: [Tabella], formato: String, nome: String) throws -> Response {
        switch formato {
        case "csv":
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(nome).csv\""],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: Rendering.csv(tabelle))))
        case "xlsx":
            let percorso = NSTemporaryDirectory() + "fondi-\(Registro.segreto()).xlsx"
            defer { try? FileManager.default.removeItem(atPath: percorso) }
            try Xlsx.scrivi(tabelle, in: percorso)
            let dati = try Data(contentsOf: URL(fileURLWithPath: percorso))
            return Response(status: .ok, headers: [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                   .contentDisposition: "attachment; filename=\"\(nome).xlsx\""],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: dati)))
        default:
            throw ErroreValore("formato '\(Testo.visibile(formato))' non valido: usa csv oppure xlsx")
        }
    }

    /// saldi, residui, prospetto and the cruscotto: the state at the head, at `al` or after `fino_a`, then the tables.
    func rapporto(_ request: Request, _ context: ContestoFondi, rotta: Rotta) async -> Response {
        let tipo = rotta.rawValue
        do {
            let formato = request.uri.queryParameters.get("formato")
            // The cruscotto is the prospetto with the warnings and the charts around it.
            let richiesta = try RichiestaRapporto(rotta == .saldi ? .saldi : rotta == .residui ? .residui : .prospetto,
                                                  try Self.valori(request, rotta), perPredefinito: rotta == .saldi ? .linea : .fonte)
            let (al, fino) = (richiesta.al, richiesta.fino)
            let oggi = configurazione.oggi()
            // The month chart is of the ledger as it is (its monthly sums are kept at the head only).
            let conAndamento = rotta == .cruscotto && al == nil && fino == nil
            let titolo = ["saldi": "Saldi", "residui": "Residui", "prospetto": "Prospetto per la Regione", "cruscotto": "Cruscotto"][tipo] ?? tipo
            let per = richiesta.per
            let archivio = self.archivio
            func fai() async throws -> String {
                typealias Mesi = [(impegnato: Int64, pagato: Int64)]
                let (tabelle, avvisi, andamento, annoAndamento) = try await archivio.usa(.lettura) { registro -> ([Tabella], [[String: String]], Mesi, Int) in
                    let stato = try archivio.stato(registro, al: al, fino: fino, impegni: rotta != .saldi)
                    let tabelle = try richiesta.tabelle(stato)
                    guard rotta == .cruscotto else { return (tabelle, [], [], oggi.anno) }
                    // The current esercizio's months; before its first act, the last year that has any.
                    let anno = conAndamento ? try registro.ultimoAnnoAndamento(finoA: oggi.anno) ?? oggi.anno : oggi.anno
                    let scadenze = try RichiestaScadenze.daGuardare(registro, al: al, fino: fino, oggi: oggi).map(Self.avviso)
                    let avvisi = scadenze + Self.avvisi(stato, oggi: al ?? oggi).map { ["testo": $0] }
                    return (tabelle, avvisi, conAndamento ? try registro.andamentoMensile(anno: anno) : [], anno)
                }
                if let formato { throw Scaricamento(risposta: try Self.scaricamento(tabelle, formato: formato, nome: tipo)) }
                let titoli: [String: String] = [
                    "fonti": tipo == "residui" ? "Fonti: libero da riportare e residui passivi (mai sommati)" : "Per fonte di finanziamento",
                    "impegni": "Impegni con somme da pagare (residui passivi)", "attivi": "Accertamenti da riscuotere (residui attivi)",
                    "totale": "Totale", "righe": "Saldi per \(per.rawValue)",
                ]
                var corpo = Self.moduloTempo(request, al: al, fino: fino)
                let scarica = (Self.inFormato(request, "csv"), Self.inFormato(request, "xlsx"))
                if tipo == "cruscotto", let fonti = tabelle.first {
                    corpo += Modelli.rendi("avvisi", ["avvisi": avvisi, "ciSonoAvvisi": !avvisi.isEmpty])
                    corpo += Self.grafico(fonti)
                    if !andamento.isEmpty { corpo += Self.graficoMensile(andamento, anno: annoAndamento) }
                    corpo += Self.tabellaHTML(Self.scegli(fonti, Self.colonneCruscotto), titolo: "Per fonte di finanziamento", scarica: nil)
                    corpo += Self.tabellaHTML(Self.scegli(tabelle[1], ["fonti"] + Self.colonneCruscotto.dropFirst()), titolo: "Totale", scarica: nil)
                } else {
                    for t in tabelle { corpo += Self.tabellaHTML(t, titolo: titoli[t.nome], scarica: scarica) }
                }
                return corpo
            }
            // A page's body is kept per chain head and day: readers between two writes get it without folding or
            // writing the tables again (ADR 0015). Downloads are always made afresh.
            let corpo = try await formato == nil
                ? archivio.pagina(request.uri.path + "?" + (request.uri.query ?? "") + "|" + oggi.description, fai) : fai()
            return pagina(titolo, corpo, context, vista: Self.vista(request, al: al, fino: fino))
        } catch let s as Scaricamento {
            return s.risposta
        } catch {
            return errore(error, context)
        }
    }

    /// `/regione` (ADR 0021): on the Region's server, the prospetto of every Ambito it may read, side by side;
    /// elsewhere a 404.
    func regione(_ request: Request, _ context: ContestoFondi) async -> Response {
        guard archivio.regione else {
            return pagina("Non trovato", Modelli.rendi("testo", ["testo": "pagina regionale non disponibile: questo servizio non è quello della Regione"]),
                          context, stato: .notFound)
        }
        do {
            _ = try Self.valori(request, .regione)
            let tabelle = try await archivio.prospettoRegionale()
            let ambiti = tabelle[0].righe.count
            var corpo = Modelli.rendi("testo", ["testo": ambiti == 0 ? "Nessun ambito leggibile da questo servizio." : "\(ambiti) ambiti, ciascuno alla sua ultima registrazione."])
            corpo += Self.tabellaHTML(tabelle[0], titolo: "Totali per ambito (residui e libero mai sommati)", scarica: nil, collegamenti: false)
            corpo += Self.tabellaHTML(tabelle[1], titolo: "Per ambito e fonte di finanziamento", scarica: nil, collegamenti: false)
            return pagina("Prospetto regionale", corpo, context)
        } catch {
            return errore(error, context)
        }
    }

    /// A download leaves the page's making early with its response.
    struct Scaricamento: Error { let risposta: Response }

    /// The cruscotto's columns (issue 10): spending side, then the entrate of DOMAIN §9.
    static let colonneCruscotto = ["fonte", "assegnato", "programmato", "prenotato", "impegnato", "liquidato", "pagato", "residui_passivi",
                                   "fpv_spesa", "libero", "accertato", "riscosso", "residui_attivi", "cassa"]

    /// The named columns of a table, in that order (those it lacks are skipped).
    static func scegli(_ t: Tabella, _ colonne: [String]) -> Tabella {
        let indici = colonne.compactMap { t.colonne.firstIndex(of: $0) }
        return Tabella(nome: t.nome, colonne: indici.map { t.colonne[$0] }, righe: t.righe.map { r in indici.map { r[$0] } })
    }

    /// Impegni assunti (net of riduzioni) and mandati emessi in each month of the current esercizio, side by
    /// side, with the running totals in each bar's tooltip.
    static func graficoMensile(_ mesi: [(impegnato: Int64, pagato: Int64)], anno: Int) -> String {
        let massimo = mesi.map { max($0.impegnato, $0.pagato) }.max() ?? 0
        guard massimo > 0 else { return "" }
        let nomi = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"]
        let alto = 160.0, passo = 62, base = 180
        var svg = "<section class=\"grafico\"><h2>Impegni assunti e mandati emessi per mese, \(anno)</h2>"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(12 * passo + 20)\" height=\"\(base + 45)\" font-size=\"12\" font-family=\"sans-serif\">"
        var cumulati: (Int64, Int64) = (0, 0)
        for (k, m) in mesi.enumerated() {
            cumulati = (cumulati.0 + m.impegnato, cumulati.1 + m.pagato)
            let x = 10 + k * passo
            for (i, (v, colore, nome, totale)) in [(m.impegnato, "#0b5cab", "impegnato", cumulati.0), (m.pagato, "#1e6b35", "pagato", cumulati.1)].enumerated() {
                let h = alto * Double(max(v, 0)) / Double(massimo)
                svg += "<rect x=\"\(x + i * 24)\" y=\"\(String(format: "%.1f", Double(base) - h))\" width=\"22\" height=\"\(String(format: "%.1f", max(h, v > 0 ? 0.5 : 0)))\" fill=\"\(colore)\">"
                svg += "<title>\(nomi[k]) \(anno) — \(nome): \(Importo.formatoItaliano(v)) (da inizio anno \(Importo.formatoItaliano(totale)))</title></rect>"
            }
            svg += "<text x=\"\(x + 12)\" y=\"\(base + 15)\">\(nomi[k])</text>"
        }
        svg += "<rect x=\"10\" y=\"\(base + 27)\" width=\"12\" height=\"12\" fill=\"#0b5cab\"/><text x=\"26\" y=\"\(base + 38)\">impegni assunti</text>"
        svg += "<rect x=\"160\" y=\"\(base + 27)\" width=\"12\" height=\"12\" fill=\"#1e6b35\"/><text x=\"176\" y=\"\(base + 38)\">mandati emessi</text>"
        return svg + "</svg></section>"
    }

    /// Stacked bars per fonte, drawn on the server as SVG (no script, no CDN): of each fonte's assegnato, what
    /// is paid, liquidated and not paid, committed and not liquidated, programmed and not committed, and free.
    static func grafico(_ fonti: Tabella) -> String {
        func valore(_ r: [Cella], _ c: String) -> Int64 {
            guard let i = fonti.colonne.firstIndex(of: c), case let .importo(x) = r[i] else { return 0 }
            return x
        }
        let righe = fonti.righe.filter { valore($0, "assegnato") > 0 }
        guard let massimo = righe.map({ valore($0, "assegnato") }).max(), massimo > 0 else { return "" }
        let parti: [(String, String)] = [("pagato", "#1e6b35"), ("liquidato", "#6aa84f"), ("impegnato", "#0b5cab"), ("programmato non impegnato", "#9fc5e8"), ("libero", "#d9d9d9")]
        let larghezza = 760.0, altezza = 22, etichetta = 230.0
        var svg = "<section class=\"grafico\"><h2>Impiego delle risorse per fonte</h2><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
        svg += "width=\"\(Int(etichetta + larghezza + 10))\" height=\"\(righe.count * altezza + 40)\" font-size=\"12\" font-family=\"sans-serif\">"
        for (k, r) in righe.enumerated() {
            let y = k * altezza
            guard case let .testo(nome) = r[0] else { continue }
            svg += "<text x=\"0\" y=\"\(y + 15)\">\(Self.escape(nome))</text>"
            let pagato = valore(r, "pagato"), liquidato = valore(r, "liquidato"), impegnato = valore(r, "impegnato")
            // Programmed and not committed on open lines is what is neither committed nor free (closed lines'
            // economie are already in libero): the five parts add up to the assegnato.
            let libero = valore(r, "libero"), assegnato = valore(r, "assegnato")
            let segmenti = [pagato, max(0, liquidato - pagato), max(0, impegnato - liquidato), max(0, assegnato - libero - impegnato), libero]
            var x = etichetta
            for (i, v) in segmenti.enumerated() where v > 0 {
                let w = larghezza * Double(v) / Double(massimo)
                svg += "<rect x=\"\(String(format: "%.1f", x))\" y=\"\(y + 3)\" width=\"\(String(format: "%.1f", max(w, 0.5)))\" height=\"\(altezza - 6)\" fill=\"\(parti[i].1)\">"
                svg += "<title>\(Self.escape(nome)) — \(parti[i].0): \(Importo.formatoItaliano(v))</title></rect>"
                x += w
            }
        }
        let yLegenda = righe.count * altezza + 20
        var x = Int(etichetta)
        for p in parti {
            svg += "<rect x=\"\(x)\" y=\"\(yLegenda)\" width=\"12\" height=\"12\" fill=\"\(p.1)\"/><text x=\"\(x + 16)\" y=\"\(yLegenda + 11)\">\(p.0)</text>"
            x += 40 + 7 * p.0.count
        }
        return svg + "</svg></section>"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A scadenza missed or at risk, as a line of *Da guardare* linked to the scadenze page (DOMAIN §10.1).
    static func avviso(_ v: ValutazioneScadenza) -> [String: String] {
        let s = v.scadenza
        let cosa = s.tipo == .rendicontazione ? "rendicontazione a \(s.destinatario ?? "")" : "\(s.tipo.rawValue) del \(s.soglia ?? 100)% dell'\(s.base?.rawValue ?? "assegnato")"
        let quando = v.giorni < 0 ? "scaduta il \(s.termine.italiano)" : v.giorni == 0 ? "scade oggi" : "scade il \(s.termine.italiano), tra \(v.giorni) giorni"
        let manca = v.mancante.map { ", mancano \(Importo.formatoItaliano($0))" } ?? ""
        return ["testo": "scadenza \(s.numero) della fonte \(s.fonte) \(v.stato.rawValue): \(cosa) \(quando)\(manca)",
                "link": "/scadenze?fonte=\(s.fonte.percentoCodificato)"]
    }

    /// What an officer should look at (issue 10): nearly exhausted linee, old residui, libero to programme,
    /// negative cassa, prenotazioni about to lapse, esercizi past 31/12 not yet closed.
    static func avvisi(_ s: Stato, oggi: DataContabile) -> [String] {
        var out: [String] = []
        func eu(_ c: Int64) -> String { Importo.formatoItaliano(c) }
        for a in s.esercizi.values.filter({ !$0.chiuso && $0.anno < oggi.anno }).map(\.anno).sorted() {
            out.append("esercizio \(a) non ancora chiuso (dopo il 31/12/\(a)): riaccertamento e chiusura da fare")
        }
        // At most `perTipo` warnings of a kind, then how many more: a long ledger can have thousands.
        let perTipo = 10
        func alPiu(_ righe: [String], _ altre: (Int) -> String) {
            out += righe.prefix(perTipo)
            if righe.count > perTipo { out.append(altre(righe.count - perTipo)) }
        }
        let aperte = s.linee.values.filter { !s.chiuso($0.chiave.esercizio) }
        let esaurite = aperte.filter { $0.programmato > 0 && s.disponibile($0) * 20 < $0.programmato }.sorted { $0.chiave < $1.chiave }
        alPiu(esaurite.map { "linea \($0.chiave) quasi esaurita: disponibile \(eu(s.disponibile($0))) su \(eu($0.programmato))" }) {
            "e altre \($0) linee quasi esaurite (vedi Saldi per linea)"
        }
        let prenotate = aperte.filter { $0.prenotazioni > 0 && $0.chiave.esercizio <= oggi.anno }.sorted { $0.chiave < $1.chiave }
        alPiu(prenotate.map { "linea \($0.chiave): prenotato \(eu($0.prenotazioni)) non ancora impegnato, decade alla chiusura del \($0.chiave.esercizio)" }) {
            "e altre \($0) linee con prenotazioni che decadranno"
        }
        let vecchi = OrdineImpegni.ordina(s.impegni.values.filter({ $0.daPagare > 0 && $0.linea.esercizio < oggi.anno - 2 }), chiave: { ($0.linea.esercizio, $0.numero) })
        alPiu(vecchi.map { "residuo dell'impegno \($0.numero) (\($0.linea.esercizio)) da pagare da oltre due anni: \(eu($0.daPagare)) a \($0.creditore)" }) {
            "e altri \($0) residui da oltre due anni (vedi Residui)"
        }
        let libere = s.fonti.values.filter { $0.libero > 0 }.sorted { $0.libero > $1.libero }
        if !libere.isEmpty {
            let totale = libere.reduce(Int64(0)) { $0 + $1.libero }
            out.append("\(libere.count) fonti con libero ancora da programmare, \(eu(totale)) in tutto; le maggiori: "
                       + libere.prefix(3).map { "\($0.codice) \(eu($0.libero))" }.joined(separator: ", "))
        }
        for c in s.cassaNegativa() { out.append("fonte \(c.fonte): cassa negativa \(eu(c.cassa)) (pagato oltre il riscosso)") }
        return out
    }

    func storia(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let richiesta = try RichiestaStoria(try Self.valori(request, .storia))
            let (al, fino) = (richiesta.al, richiesta.fino)
            let formato = request.uri.queryParameters.get("formato")
            let tabella = try await archivio.usa(.lettura) { RichiestaStoria.tabella(try richiesta.eventi($0), conUtente: true) }
            if let formato { return try Self.scaricamento([tabella], formato: formato, nome: "storia") }
            let html = Self.tabellaHTML(tabella, titolo: nil, scarica: (Self.inFormato(request, "csv"), Self.inFormato(request, "xlsx")))
            let corpo = Self.moduloTempo(request, al: al, fino: fino) + html
            return pagina("Storia", corpo, context, vista: Self.vista(request, al: al, fino: fino))
        } catch {
            return errore(error, context)
        }
    }

    func evento(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            guard let testo = context.parameters.get("seq") else { throw ErroreValore("seq mancante") }
            let seq = try Lettura.seq(testo, campo: "seq")
            let e = try await archivio.usa(.lettura) { registro -> EventoRegistrato in
                try Vista.controllaFino(seq, registro)
                var trovato: EventoRegistrato?
                try registro.leggiEventi(da: seq, fino: seq) { trovato = $0 }
                guard let trovato else { throw ErroreValore("evento \(seq) inesistente") }
                return trovato
            }
            let campi: [[String: String]] = [
                ["nome": "seq", "valore": "\(e.seq)"], ["nome": "tipo", "valore": "\(e.evento.tipo) (versione \(e.versione))"],
                ["nome": "data", "valore": e.data.italiano], ["nome": "atto", "valore": e.atto ?? ""], ["nome": "utente", "valore": e.utente],
                ["nome": "registrato il", "valore": e.registratoIl], ["nome": "chiave", "valore": e.chiave ?? ""],
                ["nome": "cosa", "valore": e.evento.sintesi], ["nome": "hash", "valore": e.hash],
            ]
            return pagina("Evento \(seq)", Modelli.rendi("evento", ["campi": campi, "grezzo": e.oggettoEsportato.testoCanonico]), context)
        } catch {
            return errore(error, context)
        }
    }

    func verifica(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let testo = request.uri.queryParameters.get("digest").flatMap { $0.isEmpty ? nil : $0 }
            var digest: [UInt8]?
            if let testo {
                guard let b = Catena.byteDaEsadecimale(testo), b.count == 32 else {
                    throw ErroreValore("digest '\(Testo.visibile(testo))' non valido: attese 64 cifre esadecimali")
                }
                digest = b
            }
            let cercato = digest
            if request.uri.queryParameters.get("avanzamento") == "1" { return verificaConAvanzamento(context, digest: cercato, testo: testo) }
            let r = try await archivio.usa(.lettura, senzaLimite: true) { try $0.verifica(digest: cercato) }
            let (sana, esito) = Self.esitoVerifica(r, digest: cercato, testo: testo)
            let corpo = Modelli.rendi("verifica", ["digest": testo ?? "", "esito": esito])
            return pagina("Verifica", corpo, context, stato: sana ? .ok : .conflict)
        } catch let e as ErroreIntegrita {
            return pagina("Verifica", Modelli.rendi("testo", ["testo": e.description]), context, stato: .conflict)
        } catch {
            return errore(error, context)
        }
    }
}

extension Pagine {
    static func esitoVerifica(_ r: RapportoVerifica, digest: [UInt8]?, testo: String?) -> (sana: Bool, esito: [String: Any]) {
        let sana = r.differenze.isEmpty && (digest == nil || r.digestSeq != nil)
        var messaggio = r.differenze.isEmpty ? "catena integra e proiezioni coerenti con la ricostruzione dagli eventi" : "differenze tra proiezioni ed eventi"
        if let testo {
            messaggio += r.digestSeq.map { "; l'hash \(testo) è nella catena (evento \($0))" } ?? "; l'hash \(testo) NON è nella catena"
        }
        return (sana, ["classe": sana ? "ok" : "errore", "messaggio": messaggio, "eventi": "\(r.eventi)", "testa": r.testa,
                       "differenze": r.differenze, "ciSonoDifferenze": !r.differenze.isEmpty])
    }

    /// `/verifica?avanzamento=1`: the page is sent as the verification runs, a line every 5% of the events
    /// (a large ledger takes seconds), then the result. No script: the browser shows the HTML as it arrives.
    /// The status is 200 (sent first); the result is in the page, and `/verifica` without it answers 409.
    func verificaConAvanzamento(_ context: ContestoFondi, digest: [UInt8]?, testo: String?) -> Response {
        let segnaposto = "<!--avanzamento-->"
        let intera = Modelli.rendi("pagina", contenutoPagina("Verifica", Modelli.rendi("verifica", ["digest": testo ?? ""]) + segnaposto, context))
        let parti = intera.components(separatedBy: segnaposto)
        let (testa, coda) = (parti[0], parti.dropFirst().joined())
        let (flusso, c) = AsyncStream<ByteBuffer>.makeStream()
        let archivio = self.archivio
        Task {
            c.yield(ByteBuffer(string: testa))
            do {
                let totale = try await archivio.usa(.lettura) { try $0.numeroEventi() }
                let passo = max(1, totale / 20)
                let r = try await archivio.usa(.lettura, senzaLimite: true) { registro in
                    try registro.verifica(digest: digest, ogniEvento: { t in
                        guard t.seq % passo == 0 else { return }
                        c.yield(ByteBuffer(string: "<p class=\"avanzamento\">verificati \(t.seq) eventi su \(totale) (\(t.seq * 100 / totale)%)</p>\n"))
                    })
                }
                c.yield(ByteBuffer(string: Modelli.rendi("esito-verifica", Self.esitoVerifica(r, digest: digest, testo: testo).esito)))
            } catch {
                c.yield(ByteBuffer(string: "<p class=\"errore\">\(Self.escape(messaggio(di: error)))</p>"))
            }
            c.yield(ByteBuffer(string: coda))
            c.finish()
        }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(asyncSequence: flusso))
    }
}

extension String {
    /// Percent-encoded for a query string value.
    var percentoCodificato: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? self
    }
}
