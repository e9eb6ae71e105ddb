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
            // `col` is repeated by design (the column chooser): read by `colonneScelte`.
            guard ammessi.contains(nome), nome != "col" else { continue }
            guard !valore.isEmpty else { continue }
            // Dates are typed `gg/mm/aaaa` on the pages; ISO is accepted too.
            let testo = ["al", "dal"].contains(nome) ? dataISO(String(valore)) : String(valore)
            if !v.imposta(nome, testo) { throw ErroreUso("parametro '\(k)' ripetuto") }
        }
        return v
    }

    /// The banner of a view in the past, and the link back to today (the same page without the time).
    static func vista(_ request: Request, al: DataContabile?, fino: Int64?) -> (descrizione: String, oggi: String)? {
        guard al != nil || fino != nil else { return nil }
        var parti: [String] = []
        if let al { parti.append("al \(al.italiano)") }
        if let fino { parti.append("fino all'evento n. \(fino)") }
        let resto = request.uri.queryParameters.filter { $0.key != "al" && $0.key != "fino_a" && $0.key != "registrati" }
            .map { "\($0.key)=\(String($0.value).percentoCodificato)" }.joined(separator: "&")
        return (parti.joined(separator: ", "), request.uri.path + (resto.isEmpty ? "" : "?" + resto))
    }

    static func moduloTempo(_ request: Request, al: DataContabile?, fino: Int64?) -> String {
        let nascosti = request.uri.queryParameters.filter { !["al", "fino_a", "formato", "registrati"].contains($0.key) }
            .map { ["nome": String($0.key), "valore": String($0.value)] }
        var c: [String: Any] = ["nascosti": nascosti, "al": al?.italiano ?? "", "fino_a": fino.map(String.init) ?? ""]
        if al != nil || fino != nil {
            c["ciSonoFiltri"] = true
            c["senza"] = vista(request, al: al, fino: fino)?.oggi ?? request.uri.path
        }
        return Modelli.rendi("tempo", c)
    }

    /// A report table as HTML: Italian headers and amounts, negative amounts marked, links to drill down.
    /// Written straight into one string (every value escaped): a template's dictionary per cell cost more than
    /// the report itself on a 200-fonte cruscotto.
    /// `collegamenti: false` for rows of other ledgers (the Region's view), whose codes this server cannot open.
    /// `evidenzia`: rows marked for the eye (a scadenza at risk, a figure changed since it was sent); `collega`:
    /// more columns that link, each to its prefix followed by the cell's text.
    /// `composizione`: on a report, its view of time and filters, so that summed figures link to the records that
    /// compose them (`Pagine.composizione`).
    static func tabellaHTML(_ t: Tabella, titolo: String?, scarica: (csv: String, xlsx: String)? = nil, collegamenti: Bool = true,
                            evidenzia: ([Cella]) -> Bool = { _ in false }, collega: [String: String] = [:], totali: Bool = false, somme: [Int64?]? = nil,
                            azione: (([Cella]) -> [(etichetta: String, link: String)])? = nil, composizione vista: VistaRapporto? = nil) -> String {
        let e = escape
        var out = "<section class=\"tabella\">\n"
        if let titolo { out += "<h2>\(e(titolo))</h2>" }
        out += "\n<table><thead><tr>"
        for (i, c) in t.colonne.enumerated() {
            let destra = t.righe.contains { if case .importo = $0[i] { true } else if case .intero = $0[i] { true } else { false } }
            out += destra ? "<th class=\"num\">" : "<th>"
            out += e(Rendering.intestazione(c)) + "</th>"
        }
        if azione != nil { out += "<th><span class=\"nascosto\">Azioni</span></th>" }
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
                case let .importo(x):
                    out += x < 0 ? "<td class=\"negativo\">" : "<td class=\"num\">"
                    if collegamenti, let vista, x != 0 { link = composizione(c, riga, t.colonne, tabella: t.nome, vista: vista) }
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
                    case "accertamento": link = "/accertamento?numero=\(s.percentoCodificato)"
                    case "prenotazione": link = "/prenotazione?numero=\(s.percentoCodificato)"
                    default: link = collega[c].map { $0 + s.percentoCodificato }
                    }
                }
                let testo = e(Rendering.testoCella(cella))
                out += link.map { "<a href=\"\(e($0))\">\(testo)</a>" } ?? testo
                out += "</td>"
            }
            if let azione {
                out += "<td class=\"azioni\">" + azione(riga).map { "<a class=\"azione\" href=\"\(e($0.link))\">\(e($0.etichetta))</a>" }.joined(separator: " ") + "</td>"
            }
            out += "</tr>"
        }
        if t.righe.isEmpty { out += "\n<tr><td colspan=\"\(t.colonne.count)\">nessuna riga</td></tr>" }
        out += "</tbody>"
        // `somme`: the totals of every matching row when the table shows one page of them.
        if totali, t.righe.count > 1 || somme != nil, let somme = somme ?? Rendering.totali(t) {
            out += "<tfoot><tr>" + somme.enumerated().map { i, c in
                i == 0 ? "<th scope=\"row\">Totale</th>" : c.map { "<td class=\"\($0 < 0 ? "negativo" : "num")\">\(Importo.formatoItaliano($0))</td>" } ?? "<td></td>"
            }.joined() + (azione != nil ? "<td></td>" : "") + "</tr></tfoot>"
        }
        out += "</table>\n"
        if let scarica { out += "<p class=\"scarica\">Scarica: <a href=\"\(e(scarica.csv))\">CSV</a> · <a href=\"\(e(scarica.xlsx))\">Excel (xlsx)</a></p>" }
        return out + "\n</section>"
    }

    /// A record's figures (one row) as labelled values, readable on a phone where a one-row table scrolls.
    static func cifreHTML(_ t: Tabella) -> String {
        guard let riga = t.righe.first else { return "" }
        let voci = zip(t.colonne, riga).map { c, v -> String in
            let negativo: Bool = { if case let .importo(x) = v { x < 0 } else { false } }()
            return "<div><dt>\(escape(Rendering.intestazione(c)))</dt><dd class=\"\(negativo ? "negativo" : "num")\">\(escape(Rendering.testoCella(v)))</dd></div>"
        }
        return "<dl class=\"cifre\">" + voci.joined() + "</dl>"
    }

    /// A download's file name: what and when, e.g. `saldi-per-servizio-esercizio-2024-al-2024-12-31`.
    static func nomeFile(_ cosa: String, _ filtri: [(String, String?)], al: DataContabile?, fino: Int64?) -> String {
        var parti = [cosa]
        for (k, v) in filtri { if let v { parti += [k, v] } }
        if let al { parti += ["al", al.description] }
        if let fino { parti += ["fino-all-evento", String(fino)] }
        let nome = parti.joined(separator: "-").map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" }
        return String(String(nome).prefix(120))
    }

    /// A workbook's sheet named after what it holds: `Saldi per servizio`, `Residui passivi`, `Impegni`.
    static func titoloFoglio(_ tabella: String, report: String) -> String {
        if tabella == "righe", report.hasPrefix("saldi-per-") {
            return "Saldi per " + report.dropFirst("saldi-per-".count).prefix { $0 != "-" }
        }
        let nomi = ["fonti": "Per fonte", "impegni": report.hasPrefix("residui") ? "Residui passivi" : "Impegni", "attivi": "Residui attivi",
                    "totale": "Totale", "storia": "Storia", "prenotazioni": "Prenotazioni", "accertamenti": "Accertamenti"]
        return nomi[tabella] ?? tabella
    }

    /// The link of the same page in another format.
    static func inFormato(_ request: Request, _ formato: String) -> String {
        let resto = request.uri.queryParameters.filter { $0.key != "formato" && $0.key != "registrati" }.map { "\($0.key)=\(String($0.value).percentoCodificato)" }
        return request.uri.path + "?" + (resto + ["formato=\(formato)"]).joined(separator: "&")
    }

    /// A download for an office's spreadsheet: CSV as Italian Excel reads it (`Rendering.csvItaliano`) or a
    /// workbook with a sheet per table named after it, fitted columns, a filter, a frozen header and the totals
    /// the page shows. The file name says what and when.
    static func scaricamento(_ tabelle: [Tabella], formato: String, nome: String) throws -> Response {
        switch formato {
        case "csv":
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(nome).csv\""],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: Rendering.csvItaliano(tabelle))))
        case "xlsx":
            let percorso = NSTemporaryDirectory() + "fondi-\(Registro.segreto()).xlsx"
            defer { try? FileManager.default.removeItem(atPath: percorso) }
            let conTotale = tabelle.contains { $0.nome == "totale" }
            let fogli = tabelle.map { t in
                Tabella(nome: titoloFoglio(t.nome, report: nome), colonne: t.colonne, righe: t.righe)
            }
            // No total where a column mixes kinds of amounts (a storia's impegni, payments and riduzioni).
            try Xlsx.scrivi(fogli, in: percorso, totali: tabelle.map { !["totale", "storia"].contains($0.nome) && !(conTotale && $0.nome == "fonti") })
            let dati = try Data(contentsOf: URL(fileURLWithPath: percorso))
            return Response(status: .ok, headers: [.contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                   .contentDisposition: "attachment; filename=\"\(nome).xlsx\""],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: dati)))
        default:
            throw ErroreValore("formato '\(Testo.visibile(formato))' non valido: usa csv oppure xlsx")
        }
    }

    /// What a report page shows, read in one go from the ledger.
    struct DatiRapporto: Sendable {
        var tabelle: [Tabella]
        var avvisi: [[String: String]] = []
        var andamento: [(impegnato: Int64, pagato: Int64)] = []
        var anno: Int
        var anni: [Int] = []
        var chiusi: Set<Int> = []
    }

    /// saldi, residui, prospetto and the cruscotto: the state at the head, at `al` or after `fino_a`, then the tables.
    func rapporto(_ request: Request, _ context: ContestoFondi, rotta: Rotta) async -> Response {
        do {
            let formato = request.uri.queryParameters.get("formato")
            let v = try Self.valori(request, rotta)
            // The cruscotto is the prospetto with the warnings and the charts around it.
            let richiesta = try RichiestaRapporto(rotta == .saldi ? .saldi : rotta == .residui ? .residui : .prospetto, v, perPredefinito: rotta == .saldi ? .linea : .fonte)
            let (al, fino) = (richiesta.al, richiesta.fino)
            let oggi = configurazione.oggi()
            let anno = try v.annoOpzionale("anno")
            let titolo = ["saldi": "Saldi", "residui": "Residui", "prospetto": "Prospetto per la Regione", "cruscotto": "Cruscotto"][rotta.rawValue] ?? rotta.rawValue
            let nomeReport = rotta.rawValue + (rotta == .saldi ? "-per-" + richiesta.per.rawValue : "")
            let (colonne, cookie) = Self.colonneScelte(request, report: nomeReport, sicuro: configurazione.dietroProxy)
            let ruolo = context.sessione?.utente.ruolo ?? .consultazione
            func fai() async throws -> String {
                let dati = try await datiRapporto(rotta, richiesta, oggi: oggi, anno: anno)
                if let formato {
                    let filtri = ["fonte", "servizio", "esercizio"].map { ($0, v.testoGrezzo($0)) }
                    throw Scaricamento(risposta: try Self.scaricamento(dati.tabelle.map { Self.cassaOnesta($0) }, formato: formato,
                                                                       nome: Self.nomeFile(nomeReport, filtri, al: al, fino: fino)))
                }
                return Self.corpoRapporto(request, rotta, richiesta, dati, colonne: colonne, ruolo: ruolo)
            }
            // A page's body is kept per chain head and day: readers between two writes get it without folding or
            // writing the tables again (ADR 0015). Downloads are always made afresh.
            let chiave = request.uri.path + "?" + (request.uri.query ?? "") + "|" + oggi.description + "|" + colonne.joined(separator: ",") + "|" + ruolo.rawValue
            let corpo = try await formato == nil ? archivio.pagina(chiave, fai) : fai()
            var r = pagina(titolo, corpo, context, vista: Self.vista(request, al: al, fino: fino))
            if let cookie { r.setCookie(cookie) }
            return r
        } catch let s as Scaricamento {
            return s.risposta
        } catch {
            return errore(error, context)
        }
    }

    func datiRapporto(_ rotta: Rotta, _ richiesta: RichiestaRapporto, oggi: DataContabile, anno: Int?) async throws -> DatiRapporto {
        let (al, fino) = (richiesta.al, richiesta.fino)
        let archivio = self.archivio
        return try await archivio.usa(.lettura) { registro -> DatiRapporto in
            let stato = try archivio.stato(registro, al: al, fino: fino, impegni: rotta != .saldi)
            var dati = DatiRapporto(tabelle: try richiesta.tabelle(stato), anno: oggi.anno)
            dati.chiusi = Set(stato.esercizi.values.filter(\.chiuso).map(\.anno))
            guard rotta == .cruscotto else { return dati }
            dati.anni = stato.esercizi.keys.sorted()
            // The chosen year's months; else the current esercizio's, before its first act the last year that has any;
            // under `al`, the year of that day (a view by seq has no month chart: its months are those of the dates).
            if fino == nil {
                let ultimo = try registro.ultimoAnnoAndamento(finoA: oggi.anno) ?? oggi.anno
                dati.anno = anno ?? al?.anno ?? ultimo
                var mesi = try registro.andamentoMensile(anno: dati.anno)
                // A view at `al` shows the whole months before it (the monthly sums are by month, not by day).
                if let al, dati.anno >= al.anno {
                    let fineMese = DataContabile.valida(anno: al.anno, mese: al.mese, giorno: al.giorno + 1) == false
                    let primoEscluso = dati.anno > al.anno ? 0 : fineMese ? al.mese : al.mese - 1
                    for m in primoEscluso..<12 { mesi[m] = (0, 0) }
                }
                dati.andamento = mesi
            }
            let scadenze = try RichiestaScadenze.daGuardare(registro, al: al, fino: fino, oggi: oggi).map(Self.avviso)
            dati.avvisi = scadenze + Self.avvisi(stato, oggi: al ?? oggi)
            return dati
        }
    }

    /// What a report shows, for its drill-down links: its view of time (`&al=…` or `&fino_a=…`, or empty) and
    /// its filters as typed (fonte, servizio, esercizio).
    struct VistaRapporto {
        var tempo = ""
        var filtri: [String: String] = [:]
    }

    /// Where a summed figure of a report's row comes from (fava's drill-down): the impegni behind impegnato,
    /// liquidato and pagato, the prenotazioni behind prenotato, the accertamenti behind accertato and riscosso,
    /// filtered by the row's fonte, servizio and esercizio and by the report's own filters. Nil where the list
    /// could not add up to the figure: differences (disponibile, libero, cassa); impegni in a view of the past
    /// (that view lets settled impegni go, ADR 0016); prenotazioni or accertamenti under a servizio filter
    /// (their lists cannot filter by servizio). A fonte's accertato is of every esercizio: no esercizio added.
    static func composizione(_ colonna: String, _ riga: [Cella], _ colonne: [String], tabella: String, vista: VistaRapporto) -> String? {
        let (base, chiavi): (String, [String])
        switch colonna {
        case "impegnato", "liquidato", "pagato": (base, chiavi) = ("/impegni", ["fonte", "servizio", "esercizio"])
        case "prenotato": (base, chiavi) = ("/prenotazioni", ["fonte", "esercizio"])
        case "accertato", "riscosso": (base, chiavi) = ("/accertamenti", ["fonte", "esercizio"])
        default: return nil
        }
        if base == "/impegni", !vista.tempo.isEmpty { return nil }
        if base != "/impegni", vista.filtri["servizio"] != nil, !colonne.contains("servizio") { return nil }
        let parti = chiavi.compactMap { k -> String? in
            if let i = colonne.firstIndex(of: k) {
                switch riga[i] {
                case let .testo(v): return "\(k)=\(v.percentoCodificato)"
                case let .intero(n): return "\(k)=\(n)"
                default: return nil
                }
            }
            if base == "/accertamenti", tabella == "fonti", k == "esercizio" { return nil }
            return vista.filtri[k].map { "\(k)=\($0.percentoCodificato)" }
        }
        return parti.isEmpty ? nil : base + "?" + parti.joined(separator: "&") + vista.tempo
    }

    /// The page around the tables: time travel, the saldi's tabs, the column chooser, the cruscotto's warnings
    /// and charts; totals under every list of amounts; the linea's "Impegna" where its esercizio is open.
    static func corpoRapporto(_ request: Request, _ rotta: Rotta, _ richiesta: RichiestaRapporto, _ dati: DatiRapporto, colonne: [String], ruolo: Ruolo) -> String {
        let titoli: [String: String] = [
            "fonti": rotta == .residui ? "Fonti: libero da riportare e residui passivi (mai sommati)" : "Per fonte di finanziamento",
            "impegni": "Impegni con somme da pagare (residui passivi)", "attivi": "Accertamenti da riscuotere (residui attivi)",
            "totale": "Totale", "righe": "Saldi per \(richiesta.per.rawValue)",
        ]
        var corpo = moduloTempo(request, al: richiesta.al, fino: richiesta.fino)
        var vista = VistaRapporto(tempo: richiesta.al.map { "&al=\($0)" } ?? richiesta.fino.map { "&fino_a=\($0)" } ?? "")
        for (k, v) in request.uri.queryParameters where ["fonte", "servizio", "esercizio"].contains(String(k)) && !v.isEmpty { vista.filtri[String(k)] = String(v) }
        if rotta == .saldi { corpo += schedeSaldi(request, per: richiesta.per) }
        let scarica = (inFormato(request, "csv"), inFormato(request, "xlsx"))
        let tabelle = dati.tabelle.map(cassaOnesta)
        if rotta == .cruscotto, tabelle.count > 1 {
            corpo += Modelli.rendi("avvisi", ["avvisi": dati.avvisi, "ciSonoAvvisi": !dati.avvisi.isEmpty])
            corpo += grafico(tabelle[0])
            if !dati.andamento.isEmpty { corpo += graficoMensile(dati.andamento, anno: dati.anno, anni: dati.anni, request: request) }
            let fonti = scegli(tabelle[0], colonne.isEmpty ? colonneCruscotto : ["fonte"] + colonne)
            corpo += sceltaColonne(request, tabelle[0], scelte: fonti.colonne)
            corpo += tabellaHTML(fonti, titolo: "Per fonte di finanziamento", totali: false, composizione: vista) + notaCassa(fonti)
            corpo += tabellaHTML(scegli(tabelle[1], ["fonti"] + fonti.colonne.dropFirst()), titolo: "Totale", scarica: nil)
            return corpo
        }
        let conTotale = tabelle.contains { $0.nome == "totale" }
        for (k, t) in tabelle.enumerated() {
            // The chooser acts on the page's first table (saldi's rows, the fonti of residui and prospetto).
            let scelta = colonne.isEmpty || k > 0 ? t : scegli(t, [t.colonne[0]] + colonne.filter { $0 != t.colonne[0] })
            if k == 0 { corpo += sceltaColonne(request, t, scelte: scelta.colonne) }
            let presente = richiesta.al == nil && richiesta.fino == nil
            let impegna = rotta == .saldi && richiesta.per == .linea && presente && Autorizzazione.puo(ruolo, "impegna") ? azioneImpegna(scelta, chiusi: dati.chiusi) : nil
            corpo += tabellaHTML(scelta, titolo: titoli[t.nome], scarica: scarica, totali: t.nome != "totale" && !(conTotale && t.nome == "fonti"), azione: impegna,
                                 composizione: ["righe", "fonti"].contains(t.nome) ? vista : nil)
            corpo += notaCassa(scelta)
        }
        return corpo
    }

    /// The columns chosen for a report (`?col=` repeated, from the chooser), else those remembered for it in a
    /// cookie; with the cookie to set when the choice is new. Only column names (letters and `_`) are kept.
    static func colonneScelte(_ request: Request, report: String, sicuro: Bool) -> ([String], Cookie?) {
        let nomeCookie = "fondi_colonne_" + report.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        func valide(_ l: [String]) -> [String] {
            Array(l.filter { !$0.isEmpty && $0.count <= 40 && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0 == "_") } }.prefix(40))
        }
        let date = request.uri.queryParameters.getAll("col").map { String($0) }
        if request.uri.queryParameters.get("colonne") == "tutte" {
            return ([], Cookie.fondi(nomeCookie, "", sicuro: sicuro, maxAge: 0))
        }
        if !date.isEmpty {
            let scelte = valide(date)
            return (scelte, Cookie.fondi(nomeCookie, scelte.joined(separator: "."), sicuro: sicuro, maxAge: 31_536_000))
        }
        let ricordate = request.cookies[nomeCookie]?.value.split(separator: ".").map(String.init) ?? []
        return (valide(ricordate), nil)
    }

    /// The column chooser: the table's columns as boxes (the CLI's `--colonne` names), shown when opened.
    static func sceltaColonne(_ request: Request, _ t: Tabella, scelte: [String]) -> String {
        guard t.colonne.count > 4 else { return "" }
        let e = escape
        let nascosti = request.uri.queryParameters.filter { !["col", "colonne", "formato", "registrati"].contains(String($0.key)) }
            .map { "<input type=\"hidden\" name=\"\(e(String($0.key)))\" value=\"\(e(String($0.value)))\">" }.joined()
        let caselle = t.colonne.dropFirst().map { c in
            "<label><input type=\"checkbox\" name=\"col\" value=\"\(e(c))\"\(scelte.contains(c) ? " checked" : "")> \(e(Rendering.intestazione(c)))</label>"
        }.joined()
        return """
            <details class="colonne"><summary>Colonne (\(scelte.count - 1) di \(t.colonne.count - 1))</summary>
            <form method="get">\(nascosti)<div class="caselle">\(caselle)</div>
            <button>Mostra queste colonne</button> <a href="\(e(conParametro(request, "colonne", "tutte")))">Tutte le colonne</a></form></details>
            """
    }

    /// The saldi's groupings as tabs, each keeping the filters and the time.
    static func schedeSaldi(_ request: Request, per: Raggruppamento) -> String {
        let voci = Raggruppamento.allCases.map { r -> String in
            let link = escape(conParametro(request, "per", r.rawValue))
            return r == per ? "<a href=\"\(link)\" aria-current=\"page\">per \(r.rawValue)</a>" : "<a href=\"\(link)\">per \(r.rawValue)</a>"
        }
        return "<nav class=\"schede\" aria-label=\"Raggruppamento dei saldi\">" + voci.joined() + "</nav>"
    }

    /// "Impegna" on each linea of an open esercizio with something disponibile: the form filled in with the linea.
    static func azioneImpegna(_ t: Tabella, chiusi: Set<Int>) -> ([Cella]) -> [(etichetta: String, link: String)] {
        let i = (t.colonne.firstIndex(of: "fonte"), t.colonne.firstIndex(of: "servizio"), t.colonne.firstIndex(of: "esercizio"), t.colonne.firstIndex(of: "disponibile"))
        return { riga in
            guard let f = i.0, let s = i.1, let e = i.2, case let .testo(fv) = riga[f], case let .testo(sv) = riga[s], case let .intero(ev) = riga[e],
                  !chiusi.contains(Int(ev)) else { return [] }
            if let d = i.3, case let .importo(x) = riga[d], x <= 0 { return [] }
            return [("Impegna", "/comandi/impegna?fonte=\(fv.percentoCodificato)&servizio=\(sv.percentoCodificato)&esercizio=\(ev)")]
        }
    }

    /// Cassa is "—" for a fonte with no accertamento: with no entrate recorded, pagato alone is not a cassa (the
    /// JSON of DOMAIN §9 keeps its figure).
    static func cassaOnesta(_ t: Tabella) -> Tabella {
        guard let c = t.colonne.firstIndex(of: "cassa"), let a = t.colonne.firstIndex(of: "accertato"), let r = t.colonne.firstIndex(of: "riscosso") else { return t }
        var out = t
        for k in out.righe.indices where out.righe[k][a] == .importo(0) && out.righe[k][r] == .importo(0) { out.righe[k][c] = .testo("—") }
        return out
    }

    static func notaCassa(_ t: Tabella) -> String {
        guard let c = t.colonne.firstIndex(of: "cassa"), t.righe.contains(where: { $0[c] == .testo("—") }) else { return "" }
        return "<p class=\"nota\">Cassa «—»: la fonte non ha accertamenti registrati, quindi la sua cassa non si calcola (il pagato non ha entrate a fronte).</p>"
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
    static func graficoMensile(_ mesi: [(impegnato: Int64, pagato: Int64)], anno: Int, anni: [Int], request: Request) -> String {
        let massimo = mesi.map { max($0.impegnato, $0.pagato) }.max() ?? 0
        let nomi = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"]
        let alto = 160.0, passo = 62, base = 180
        let nascosti = request.uri.queryParameters.filter { ["al"].contains(String($0.key)) }
            .map { "<input type=\"hidden\" name=\"\(escape(String($0.key)))\" value=\"\(escape(String($0.value)))\">" }.joined()
        let opzioni = (anni.contains(anno) ? anni : (anni + [anno]).sorted()).map { "<option\($0 == anno ? " selected" : "")>\($0)</option>" }.joined()
        var svg = "<section class=\"grafico\"><h2>Impegni assunti e mandati emessi per mese, \(anno)</h2>"
        svg += "<form method=\"get\" class=\"tempo\">\(nascosti)<label>Anno del grafico <select name=\"anno\">\(opzioni)</select></label><button>Mostra</button></form>"
        guard massimo > 0 else { return svg + "<p>Nessun impegno né mandato nel \(anno).</p></section>" }
        let totali = mesi.reduce((Int64(0), Int64(0))) { ($0.0 + $1.impegnato, $0.1 + $1.pagato) }
        let descrizione = "Grafico a barre per mese del \(anno): impegni assunti \(Importo.formatoItaliano(totali.0)), mandati emessi \(Importo.formatoItaliano(totali.1)) nell'anno; i valori sono nella tabella sotto il grafico"
        svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escape(descrizione))\" viewBox=\"0 0 \(12 * passo + 20) \(base + 45)\" width=\"\(12 * passo + 20)\" height=\"\(base + 45)\" font-size=\"12\" font-family=\"sans-serif\">"
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
        var t = Tabella(nome: "mesi", colonne: ["mese", "impegni_assunti", "mandati_emessi"])
        t.righe = mesi.enumerated().map { [.testo("\(nomi[$0.offset]) \(anno)"), .importo($0.element.impegnato), .importo($0.element.pagato)] }
        return svg + "</svg><details class=\"valori\"><summary>I valori del grafico</summary>" + tabellaHTML(t, titolo: nil, totali: true) + "</details></section>"
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
        let descrizione = "Grafico a barre: di ogni fonte, l'assegnato diviso in pagato, liquidato, impegnato, programmato non impegnato e libero; \(righe.count) fonti, i valori sono nella tabella Per fonte di finanziamento"
        var svg = "<section class=\"grafico\"><h2>Impiego delle risorse per fonte</h2><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escape(descrizione))\" "
        svg += "viewBox=\"0 0 \(Int(etichetta + larghezza + 10)) \(righe.count * altezza + 40)\" width=\"\(Int(etichetta + larghezza + 10))\" height=\"\(righe.count * altezza + 40)\" font-size=\"12\" font-family=\"sans-serif\">"
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

    /// What an officer should look at (issue 10), each a link to where it is dealt with: nearly exhausted linee,
    /// old residui, libero to programme, negative cassa, prenotazioni about to lapse, esercizi past 31/12 not yet closed.
    static func avvisi(_ s: Stato, oggi: DataContabile) -> [[String: String]] {
        var out: [[String: String]] = []
        func eu(_ c: Int64) -> String { Importo.formatoItaliano(c) }
        func q(_ t: String) -> String { t.percentoCodificato }
        for a in s.esercizi.values.filter({ !$0.chiuso && $0.anno < oggi.anno }).map(\.anno).sorted() {
            out.append(["testo": "esercizio \(a) non ancora chiuso (dopo il 31/12/\(a)): riaccertamento e chiusura da fare", "link": "/chiusura?esercizio=\(a)"])
        }
        // At most `perTipo` warnings of a kind, then how many more: a long ledger can have thousands.
        let perTipo = 10
        func alPiu(_ righe: [[String: String]], _ altre: (Int) -> [String: String]) {
            out += righe.prefix(perTipo)
            if righe.count > perTipo { out.append(altre(righe.count - perTipo)) }
        }
        func linea(_ k: LineaChiave) -> String { "/impegni?fonte=\(q(k.fonte))&servizio=\(q(k.servizio))&esercizio=\(k.esercizio)" }
        let aperte = s.linee.values.filter { !s.chiuso($0.chiave.esercizio) }
        let esaurite = aperte.filter { $0.programmato > 0 && s.disponibile($0) * 20 < $0.programmato }.sorted { $0.chiave < $1.chiave }
        alPiu(esaurite.map { l in
            let d = s.disponibile(l)
            return ["testo": "linea \(l.chiave) \(d <= 0 ? "esaurita" : "quasi esaurita"): disponibile \(eu(d)) su \(eu(l.programmato))", "link": linea(l.chiave)]
        }) { ["testo": "e altre \($0) linee esaurite o quasi (vedi Saldi per linea)", "link": "/saldi?per=linea"] }
        let prenotate = aperte.filter { $0.prenotazioni > 0 && $0.chiave.esercizio <= oggi.anno }.sorted { $0.chiave < $1.chiave }
        alPiu(prenotate.map {
            ["testo": "linea \($0.chiave): prenotato \(eu($0.prenotazioni)) non ancora impegnato, decade alla chiusura del \($0.chiave.esercizio)",
             "link": "/prenotazioni?fonte=\(q($0.chiave.fonte))&esercizio=\($0.chiave.esercizio)"]
        }) { ["testo": "e altre \($0) linee con prenotazioni che decadranno", "link": "/prenotazioni"] }
        let vecchi = OrdineImpegni.ordina(s.impegni.values.filter({ $0.daPagare > 0 && $0.linea.esercizio < oggi.anno - 2 }), chiave: { ($0.linea.esercizio, $0.numero) })
        alPiu(vecchi.map {
            ["testo": "residuo dell'impegno \($0.numero) (\($0.linea.esercizio)) da pagare da oltre due anni: \(eu($0.daPagare)) a \($0.creditore)",
             "link": "/impegno?numero=\(q($0.numero))"]
        }) { ["testo": "e altri \($0) residui da oltre due anni (vedi Residui)", "link": "/residui"] }
        let libere = s.fonti.values.filter { $0.libero > 0 }.sorted { $0.libero > $1.libero }
        if !libere.isEmpty {
            let totale = libere.reduce(Int64(0)) { $0 + $1.libero }
            out.append(["testo": "\(libere.count) fonti con libero ancora da programmare, \(eu(totale)) in tutto; le maggiori: "
                        + libere.prefix(3).map { "\($0.codice) \(eu($0.libero))" }.joined(separator: ", "), "link": "/saldi?per=fonte"])
        }
        for c in s.cassaNegativa() {
            out.append(["testo": "fonte \(c.fonte): cassa negativa \(eu(c.cassa)) (pagato oltre il riscosso)", "link": "/accertamenti?fonte=\(q(c.fonte))"])
        }
        return out
    }

    /// `/storia`: newest first, 50 a page, filtered by tipo, dates, utente and text (`PaginaStoria`); a download
    /// carries up to 10,000 events of the same filter.
    func storia(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let v = try Self.valori(request, .storia)
            let richiesta = try RichiestaStoria(v)
            let (al, fino) = (richiesta.al, richiesta.fino)
            let formato = request.uri.queryParameters.get("formato")
            var filtri = PaginaStoria.Filtri(dal: try v.data("dal"), utente: try v.codiceOpzionale("utente")?.testo, testo: try v.testoOpzionale("q")?.testo)
            if let t = v.testoGrezzo("tipo") {
                guard TipoEvento(rawValue: t) != nil else { throw ErroreValore("tipo di evento '\(Testo.visibile(t))' sconosciuto: sceglilo dall'elenco") }
                filtri.tipo = t
            }
            let prima = try v.seq("prima")
            let f = filtri
            let p = try await archivio.usa(.lettura) { try PaginaStoria.leggi($0, richiesta, filtri: f, prima: prima, perPagina: formato == nil ? PaginaStoria.perPagina : 10_000) }
            let tabella = Self.tabellaStoria(p.eventi)
            if let formato { return try Self.scaricamento([tabella], formato: formato, nome: "storia" + (p.eventi.isEmpty ? "" : "-fino-all-evento-\(p.eventi[0].seq)")) }
            var corpo = Self.moduloTempo(request, al: al, fino: fino) + Self.filtriStoria(request, filtri)
            corpo += Self.tabellaHTML(tabella, titolo: p.eventi.isEmpty ? "Nessun evento" : "Eventi dal più recente", scarica: (Self.inFormato(request, "csv"), Self.inFormato(request, "xlsx")))
            if p.interrotta { corpo += "<p>Esaminati \(PaginaStoria.esaminatiMax) eventi: la ricerca continua nella pagina seguente.</p>" }
            var pagine: [String] = []
            if prima != nil { pagine.append("<a href=\"\(Self.escape(Self.conParametro(request, "prima", nil)))\">← i più recenti</a>") }
            if let prossimo = p.prossimo { pagine.append("<a href=\"\(Self.escape(Self.conParametro(request, "prima", String(prossimo))))\">meno recenti →</a>") }
            if !pagine.isEmpty { corpo += "<p class=\"pagine\">" + pagine.joined(separator: " · ") + "</p>" }
            return pagina("Storia", corpo, context, vista: Self.vista(request, al: al, fino: fino))
        } catch {
            return errore(error, context)
        }
    }

    /// The events as the pages show them: the type in words, the time of recording in Italy's time.
    static func tabellaStoria(_ eventi: [EventoRegistrato]) -> Tabella {
        var t = Tabella(nome: "storia", colonne: ["seq", "data", "tipo", "atto", "utente", "registrato_il", "importo", "descrizione"])
        t.righe = eventi.map { e in
            [.intero(e.seq), .data(e.data), .testo(e.evento.tipoEvento.inParole), e.atto.map(Cella.testo) ?? .nullo, .testo(e.utente),
             .testo(Self.oraLocale(e.registratoIl)), e.evento.importo.map(Cella.importo) ?? .nullo, .testo(e.evento.sintesi)]
        }
        return t
    }

    static func filtriStoria(_ request: Request, _ f: PaginaStoria.Filtri) -> String {
        let e = escape
        let nascosti = request.uri.queryParameters.filter { ["al", "fino_a", "impegno", "fonte", "servizio", "prenotazione", "accertamento"].contains(String($0.key)) }
            .map { "<input type=\"hidden\" name=\"\(e(String($0.key)))\" value=\"\(e(String($0.value)))\">" }.joined()
        let tipi = "<option value=\"\">tutti</option>" + TipoEvento.allCases.map {
            "<option value=\"\($0.rawValue)\"\($0.rawValue == f.tipo ? " selected" : "")>\(e($0.inParole))</option>"
        }.joined()
        let togli = f.attivi ? " <a href=\"/storia\">Togli i filtri</a>" : ""
        return """
            <form method="get" class="tempo filtri">\(nascosti)
            <label>Tipo <select name="tipo">\(tipi)</select></label>
            <label>Dal giorno <input name="dal" value="\(f.dal?.italiano ?? "")" placeholder="gg/mm/aaaa" inputmode="numeric" size="10"></label>
            <label>Utente <input name="utente" value="\(e(f.utente ?? ""))" size="10"></label>
            <label>Testo (cosa, atto) <input name="q" value="\(e(f.testo ?? ""))"></label>
            <button>Filtra</button>\(togli)</form>
            """
    }

    /// The same page with one query parameter set (or removed, `nil`).
    static func conParametro(_ request: Request, _ nome: String, _ valore: String?) -> String {
        let resto = request.uri.queryParameters.filter { $0.key != nome && $0.key != "registrati" }.map { "\($0.key)=\(String($0.value).percentoCodificato)" }
        let tutti = resto + (valore.map { ["\(nome)=\($0.percentoCodificato)"] } ?? [])
        return request.uri.path + (tutti.isEmpty ? "" : "?" + tutti.joined(separator: "&"))
    }

    /// `2026-12-05T15:32:24.752Z` as `05/12/2026 16:32`, in Italy's time (the office's), whatever the server's zone:
    /// UTC+1, UTC+2 from 01:00 UTC of March's last Sunday to 01:00 UTC of October's (EU rule, in force since 1996).
    /// Computed here, without a formatter per row: a trail of hundreds of events shows this on every row.
    static func oraLocale(_ iso: String) -> String {
        let u = Array(iso.utf8)
        func n(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= u.count else { return nil }
            var x = 0
            for i in r { guard u[i] >= 0x30, u[i] <= 0x39 else { return nil }; x = x * 10 + Int(u[i] - 0x30) }
            return x
        }
        guard u.count >= 16, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, let a = n(0..<4), let m = n(5..<7), let g = n(8..<10),
              let h = n(11..<13), let mi = n(14..<16), a >= 1970, a < 9999, DataContabile.valida(anno: a, mese: m, giorno: g), h < 24, mi < 60 else { return iso }
        let giorno = DataContabile(anno: a, mese: m, giorno: g)
        func ultimaDomenica(_ mese: Int) -> Int {
            let fine = DataContabile(anno: a, mese: mese, giorno: 31)
            // 1970-01-01 was a Thursday: days since then, +4, mod 7 is the weekday with Sunday 0.
            return 31 - ((fine.giornoAssoluto + 4) % 7 + 7) % 7
        }
        let minuti = (giorno.giornoAssoluto * 24 + h) * 60 + mi
        let inizio = (DataContabile(anno: a, mese: 3, giorno: ultimaDomenica(3)).giornoAssoluto * 24 + 1) * 60
        let fine = (DataContabile(anno: a, mese: 10, giorno: ultimaDomenica(10)).giornoAssoluto * 24 + 1) * 60
        let locale = minuti + (minuti >= inizio && minuti < fine ? 120 : 60)
        let d = DataContabile(giornoAssoluto: locale / 1440)
        let resto = locale % 1440
        func due(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return "\(d.italiano) \(due(resto / 60)):\(due(resto % 60))"
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
                ["nome": "Numero (seq)", "valore": "\(e.seq)"], ["nome": "Tipo", "valore": "\(e.evento.tipoEvento.inParole) (\(e.evento.tipo), versione \(e.versione))"],
                ["nome": "Data", "valore": e.data.italiano], ["nome": "Atto", "valore": e.atto ?? "—"], ["nome": "Utente", "valore": e.utente],
                ["nome": "Registrato il", "valore": Self.oraLocale(e.registratoIl) + " (ora italiana)"], ["nome": "Chiave", "valore": e.chiave ?? "—"],
                ["nome": "Cosa", "valore": e.evento.sintesi], ["nome": "Hash", "valore": e.hash],
            ]
            return pagina("Evento \(seq)", Modelli.rendi("evento", ["campi": campi, "grezzo": Self.indentato(e.oggettoEsportato)]), context)
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
    /// JSON with one member per line, indented, keys in canonical order: an event read by a person.
    static func indentato(_ v: ValoreJSON, _ livello: Int = 0) -> String {
        let rientro = String(repeating: "  ", count: livello + 1), chiusura = String(repeating: "  ", count: livello)
        switch v {
        case let .oggetto(o) where !o.isEmpty:
            let membri = o.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }.map { k in
                rientro + ValoreJSON.stringa(k).testoCanonico + ": " + indentato(o[k]!, livello + 1)
            }
            return "{\n" + membri.joined(separator: ",\n") + "\n" + chiusura + "}"
        case let .lista(l) where !l.isEmpty:
            return "[\n" + l.map { rientro + indentato($0, livello + 1) }.joined(separator: ",\n") + "\n" + chiusura + "]"
        default:
            return v.testoCanonico
        }
    }

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
