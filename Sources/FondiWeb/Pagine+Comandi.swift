import Fondi
import FondiServizi
import FondiStore
import Foundation
import HTTPTypes
import Hummingbird

/// The write forms at `/comandi/COMANDO` (DOMAIN §8): one per write command of the `Catalogo`, fields named
/// like the importa keys, the role checked on the server, a CSRF token and an idempotency key per rendered
/// form (a double click or a resubmitted form records once).
extension Pagine {
    /// `impegno riduci` ↔ `impegno-riduci`.
    static func definizione(_ percorso: String) -> DefinizioneComando? {
        let nome = percorso.replacingOccurrences(of: "-", with: " ")
        return Autorizzazione.comandiDiScrittura.first { $0.nome == nome }
    }

    /// The fields a person fills in: not the ledger, the format, the key or the user (the server's own).
    static func campiVisibili(_ d: DefinizioneComando) -> [Campo] {
        d.campi.filter { !["db", "formato", "chiave", "utente", "uscita", "colonne"].contains($0.nome) }
    }

    func elenco(_ context: ContestoFondi) -> Response {
        let ruolo = context.sessione?.utente.ruolo ?? .consultazione
        let comandi = Autorizzazione.comandiDiScrittura.filter { Autorizzazione.puo(ruolo, $0.nome) }.map {
            ["nome": $0.nome, "percorso": $0.nome.replacingOccurrences(of: " ", with: "-"), "sintesi": $0.sintesi]
        }
        return pagina("Comandi", Modelli.rendi("comandi", ["comandi": comandi, "ruolo": ruolo.rawValue, "responsabile": ruolo >= .responsabile]), context)
    }

    /// What a form shows around its fields, read from the ledger: the choices with their descriptions, the
    /// earliest open esercizio (the default), the figures of what the form is about, the next impegno number.
    struct Dintorni: Sendable {
        /// The `<datalist>`s of the form's choices (fonti, servizi, open impegni, liquidazioni, prenotazioni, accertamenti).
        var liste = ""
        var esercizioAperto: Int?
        var contesto: [String] = []
        var prossimoImpegno: String?
    }

    func dintorni(_ d: DefinizioneComando, _ valori: [String: String]) async -> Dintorni {
        let oggi = configurazione.oggi()
        let eu = Importo.formatoItaliano
        // One read transaction; the choices and the next number are kept per chain head (`conTesti`).
        return (try? await archivio.conTesti { r, testo -> Dintorni in
            var x = Dintorni()
            func scelte(_ nome: String, _ leggi: @escaping () throws -> [(String, String)]) throws {
                x.liste += try testo("dintorni|" + nome) { Self.datalist(nome, try leggi()) }
            }
            try scelte("fonti") { try r.codici().fonti.map { ($0.codice, $0.descrizione) } }
            try scelte("servizi") { try r.codici().servizi.map { ($0.codice, $0.descrizione) } }
            if d.campo("impegno") != nil {
                try scelte("impegni") {
                    var ricerca = RicercaImpegni()
                    (ricerca.soloDaPagare, ricerca.ordine, ricerca.discendente) = (true, .esercizio, true)
                    return try r.cerca(ricerca).impegni.map { ($0.numero, "\($0.creditore) — da pagare \(eu($0.daPagare))") }
                }
            }
            if d.campo("liquidazione") != nil {
                try scelte("liquidazioni") {
                    try r.liquidazioniDaPagare(limite: Self.sceltePerLista).map { ($0.numero, "impegno \($0.impegno) — da pagare \(eu($0.daPagare))") }
                }
            }
            if d.campo("prenotazione") != nil {
                try scelte("prenotazioni") {
                    try r.prenotazioniDaImpegnare(limite: Self.sceltePerLista).map { ($0.numero, "\($0.linea) — da impegnare \(eu($0.daImpegnare))") }
                }
            }
            if d.campo("accertamento") != nil {
                try scelte("accertamenti") {
                    try r.accertamentiDaRiscuotere(limite: Self.sceltePerLista).map { ($0.numero, "\($0.debitore) — da riscuotere \(eu($0.daRiscuotere))") }
                }
            }
            let esercizi = try r.esercizi()
            x.esercizioAperto = esercizi.filter { !$0.chiuso }.map(\.anno).min() ?? oggi.anno
            let esercizio = valori["esercizio"].flatMap { Int($0) } ?? x.esercizioAperto
            if d.nome == "impegna", let e = esercizio {
                x.prossimoImpegno = try testo("dintorni|prossimo|\(e)") { try Self.prossimoImpegno(r, esercizio: e) }
            }
            x.contesto = try Self.cifre(r, valori, esercizio: esercizio, esercizi: esercizi)
            return x
        }) ?? Dintorni()
    }

    /// The fields whose values decide the figures beside a form's amount (`cifre`).
    static let campiCifre = ["fonte", "servizio", "esercizio", "impegno", "liquidazione", "prenotazione", "accertamento"]

    /// The figures beside a form's amount for what is typed so far, as plain text (`/cifre`, read by `fondi.js`
    /// as the fields change); empty when nothing matches. Values longer than any code are ignored, not looked up.
    func cifre(_ request: Request, _ context: ContestoFondi) async -> Response {
        var valori: [String: String] = [:]
        for (k, v) in request.uri.queryParameters where Self.campiCifre.contains(String(k)) && v.count <= Limiti.codiceLunghezzaMax {
            valori[String(k)] = String(v)
        }
        let oggi = configurazione.oggi()
        let letti = valori
        let testo = (try? await archivio.usa(.lettura) { r -> String in
            let esercizi = try r.esercizi()
            let aperto = esercizi.filter { !$0.chiuso }.map(\.anno).min() ?? oggi.anno
            return try Self.cifre(r, letti, esercizio: letti["esercizio"].flatMap { Int($0) } ?? aperto, esercizi: esercizi).joined(separator: " · ")
        }) ?? ""
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: testo)))
    }

    /// How many open records a type-ahead list offers (the highest numbers first).
    static let sceltePerLista = 50

    /// A type-ahead list as HTML, written straight (a template's dictionary per option cost more than the rest
    /// of the form), every value escaped; kept per chain head by `dintorni`.
    static func datalist(_ id: String, _ voci: [(String, String)]) -> String {
        guard !voci.isEmpty else { return "" }
        return "<datalist id=\"\(id)\">" + voci.map { "<option value=\"\(escape($0.0))\">\(escape($0.1))</option>" }.joined() + "</datalist>"
    }

    /// The figures beside the amount: the linea's disponibile, an impegno's or a liquidazione's sums still open.
    static func cifre(_ r: Registro, _ valori: [String: String], esercizio: Int?, esercizi: [Esercizio]) throws -> [String] {
        let eu = Importo.formatoItaliano
        var out: [String] = []
        if let f = valori["fonte"], let sv = valori["servizio"], let e = esercizio, let l = try r.linea(LineaChiave(fonte: f, servizio: sv, esercizio: e)) {
            var s = Stato(linee: [l])
            for e in esercizi { s.inserisci(e) }
            out.append("Disponibile sulla linea \(l.chiave): \(eu(s.disponibile(l))) (programmato \(eu(l.programmato)), impegnato \(eu(l.impegnato)))")
        }
        if let n = valori["impegno"], !n.isEmpty, let i = try r.impegno(n) {
            out.append("Impegno \(i.numero) a \(i.creditore): impegnato \(eu(i.impegnato)), da liquidare \(eu(i.daLiquidare)), da pagare \(eu(i.daPagare))")
        }
        if let n = valori["liquidazione"], !n.isEmpty, let l = try r.liquidazione(n) {
            out.append("Liquidazione \(l.numero) sull'impegno \(l.impegno): da pagare \(eu(l.daPagare))")
        }
        if let n = valori["prenotazione"], !n.isEmpty, let p = try r.prenotazione(n) {
            out.append("Prenotazione \(p.numero) sulla linea \(p.linea): da impegnare \(eu(p.daImpegnare))")
        }
        if let n = valori["accertamento"], !n.isEmpty, let a = try r.accertamento(n) {
            out.append("Accertamento \(a.numero) su \(a.debitore): da riscuotere \(eu(a.daRiscuotere))")
        }
        return out
    }

    /// `ESERCIZIO/N+1` after the highest `ESERCIZIO/N` of the esercizio's impegni (other numbering ignored), or
    /// `ESERCIZIO/1`; never one already taken.
    static func prossimoImpegno(_ r: Registro, esercizio: Int) throws -> String {
        var n = (try r.ultimoNumeroImpegno(esercizio: esercizio) ?? 0) + 1
        while try r.esisteImpegno("\(esercizio)/\(n)"), n < 1_000_000_000 { n += 1 }
        return "\(esercizio)/\(n)"
    }

    /// The field an officer reads: `Numero`, `Data`, not the command line's names.
    static func etichetta(_ nome: String) -> String {
        ["cig": "CIG", "cup": "CUP", "da": "Dal servizio", "a": "Al servizio", "fino_a": "Fino all'evento n."][nome] ?? Rendering.intestazione(nome)
    }

    /// The required fields left empty, each with its message, in the form's order.
    static func mancanti(_ d: DefinizioneComando, _ valori: [String: String]) -> [(nome: String, testo: String)] {
        campiVisibili(d).filter { c in
            (c.obbligatorio || c.nome == "atto" && d.conAtto) && (valori[c.nome] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        }.map { ($0.nome, "\(etichetta($0.nome)): campo obbligatorio, da compilare") }
    }

    /// What must be typed again to confirm an act that cannot be undone, and the field it must equal.
    static func conferma(_ d: DefinizioneComando) -> (testo: String, campo: String)? {
        switch d.nome {
        case "chiudi": ("Per confermare la chiusura scrivi di nuovo l'esercizio", "esercizio")
        case "residuo elimina", "impegno reimputa": ("Per confermare scrivi di nuovo il numero dell'impegno", "impegno")
        default: nil
        }
    }

    /// The form, filled with `valori` (what was typed, or the query string), the messages next to the fields.
    func modulo(_ d: DefinizioneComando, _ context: ContestoFondi, valori: [String: String], messaggio: String? = nil,
                errori: [(nome: String, testo: String)] = [], stato: HTTPResponse.Status = .ok) async -> Response {
        let x = await dintorni(d, valori)
        let perCampo = Dictionary(errori.map { ($0.nome, $0.testo) }, uniquingKeysWith: { a, _ in a })
        let campi = Self.campiVisibili(d).map { c in campoModulo(c, d, valori: valori, dintorni: x, errore: perCampo[c.nome], messaggio: messaggio) }
        var c: [String: Any] = [
            "sintesi": d.sintesi, "percorso": d.nome.replacingOccurrences(of: " ", with: "-"),
            "csrf": context.sessione?.csrf ?? "", "chiave": valori["chiave"] ?? "web-" + Registro.segreto(), "campi": campi,
            "liste": x.liste,
            "bottone": d.nome == "chiudi" ? "Chiudi l'esercizio" : "Registra",
            "annulla": valori["impegno"].flatMap { $0.isEmpty ? nil : "/impegno?numero=" + $0.percentoCodificato } ?? "/comandi",
            "ciSonoErrori": !errori.isEmpty, "errori": errori.map { ["nome": $0.nome, "testo": $0.testo] },
            "intro": errori.contains { $0.nome == "conferma" } ? "Conferma non valida: nulla è stato registrato."
                : errori.count == 1 ? "Manca un campo: nulla è stato registrato." : "Mancano \(errori.count) campi: nulla è stato registrato.",
        ]
        if !x.contesto.isEmpty { c["disponibile"] = x.contesto.joined(separator: " · ") }
        if let conferma = Self.conferma(d) { c["conferma"] = conferma.testo }
        if let messaggio { c["messaggio"] = Self.senzaOpzioni(messaggio) }
        return pagina(d.nome.prefix(1).uppercased() + d.nome.dropFirst(), Modelli.rendi("modulo", c), context, stato: stato)
    }

    /// One field of a form: its label, its value (typed, from the link, or the default), its choices and its message.
    func campoModulo(_ c: Campo, _ d: DefinizioneComando, valori: [String: String], dintorni x: Dintorni, errore: String?,
                     messaggio: String?) -> [String: Any] {
        var x2: [String: Any] = ["nome": c.nome, "etichetta": Self.etichetta(c.nome), "obbligatorio": c.obbligatorio || c.nome == "atto" && d.conAtto,
                                 "aiuto": c.aiuto + " (" + (c.tipo == .data ? "gg/mm/aaaa" : c.tipo.formato) + ")"]
        // The esercizio field is the linea's where there is a fonte; elsewhere (a reimputazione's) it is not the act's year.
        let esercizio = (d.campo("fonte") != nil ? valori["esercizio"].flatMap { Int($0) } : nil) ?? x.esercizioAperto
        var valore = valori[c.nome] ?? ""
        if valori[c.nome] == nil {
            switch c.nome {
            // A linea's act is dated in its esercizio; the others (liquidare, pagare, riaccertare, chiudere) today.
            case "data": valore = (d.campo("fonte") != nil && d.campo("servizio") != nil ? Self.oggiNellEsercizio(configurazione.oggi(), esercizio) : configurazione.oggi()).italiano
            case "esercizio": valore = d.nome == "accerta" || d.campo("fonte") != nil || d.nome == "chiudi" ? esercizio.map(String.init) ?? "" : ""
            case "numero" where d.nome == "impegna": valore = x.prossimoImpegno ?? ""
            default: break
            }
        }
        if let errore { x2["errato"] = true; x2["erroreCampo"] = errore }
        if let messaggio, errore == nil, Self.nomina(messaggio, c.nome) { x2["errato"] = true }
        switch c.tipo {
        case .flag:
            x2["casella"] = true
            x2["spuntata"] = valore == "true" || valore == "on"
        case let .scelta(opzioni):
            x2["scelta"] = true
            // An optional choice starts empty: choosing nothing is not choosing the first value (a scadenza's base).
            let vuota: [[String: Any]] = c.obbligatorio ? [] : [["valore": "", "etichetta": "—", "selezionata": valore.isEmpty]]
            x2["opzioni"] = vuota + opzioni.map { ["valore": $0, "etichetta": $0, "selezionata": $0 == valore] }
        default:
            x2["testo"] = true
            x2["valore"] = valore
            x2["decimale"] = c.tipo == .importo
            x2["numerico"] = [.anno, .data, .seq, .giorni, .percentuale].contains(c.tipo)
            if c.tipo == .data { x2["segnaposto"] = "gg/mm/aaaa" }
            if ["fonte", "codice"].contains(c.nome), d.nome.hasPrefix("fonte") || c.nome == "fonte" { x2["lista"] = "fonti" }
            if ["servizio", "da", "a"].contains(c.nome) || c.nome == "codice" && d.nome.hasPrefix("servizio") { x2["lista"] = "servizi" }
            if let lista = ["impegno": "impegni", "liquidazione": "liquidazioni", "prenotazione": "prenotazioni", "accertamento": "accertamenti"][c.nome] {
                x2["lista"] = lista
            }
        }
        return x2
    }

    /// Today, or the nearest day of the esercizio when today is outside it.
    static func oggiNellEsercizio(_ oggi: DataContabile, _ esercizio: Int?) -> DataContabile {
        guard let e = esercizio, e != oggi.anno, (Limiti.annoMin...Limiti.annoMax).contains(e) else { return oggi }
        return e < oggi.anno ? DataContabile(anno: e, mese: 12, giorno: 31) : DataContabile(anno: e, mese: 1, giorno: 1)
    }

    /// Whether a message is about the field `nome`.
    static func nomina(_ messaggio: String, _ nome: String) -> Bool {
        messaggio.contains("'\(nome)'") || messaggio.hasPrefix(nome + " ") || messaggio.contains(" \(nome) ") || messaggio.contains("--\(nome)")
    }

    /// A message of the shared layer as a page says it: `--fino-a` becomes «Fino all'evento n.», no command-line syntax.
    static func senzaOpzioni(_ testo: String) -> String {
        var out = ""
        var resto = Substring(testo)
        while let r = resto.range(of: "--") {
            out += resto[..<r.lowerBound]
            let dopo = resto[r.upperBound...]
            let nome = dopo.prefix { $0.isLetter || $0 == "-" }
            guard !nome.isEmpty else { out += "--"; resto = dopo; continue }
            out += "«" + etichetta(nome.replacingOccurrences(of: "-", with: "_")) + "»"
            resto = dopo.dropFirst(nome.count)
        }
        return out + resto
    }

    func mostraModulo(_ request: Request, _ context: ContestoFondi) async -> Response {
        guard let d = context.parameters.get("comando").flatMap(Self.definizione) else {
            return pagina("Non trovato", Modelli.rendi("testo", ["testo": "comando sconosciuto"]), context, stato: .notFound)
        }
        guard let s = context.sessione, Autorizzazione.puo(s.utente.ruolo, d.nome) else { return vietato(context, "'\(d.nome)'") }
        var valori: [String: String] = [:]
        for (k, v) in request.uri.queryParameters where k != "chiave" { valori[String(k)] = String(v) }
        return await modulo(d, context, valori: valori)
    }

    /// Applies a form: 303 to the page of what it recorded, or the same form with every missing field and the
    /// CLI's message beside its field (422, 400), and nothing written.
    func inviaModulo(_ request: Request, _ context: ContestoFondi) async -> Response {
        guard let d = context.parameters.get("comando").flatMap(Self.definizione) else {
            return pagina("Non trovato", Modelli.rendi("testo", ["testo": "comando sconosciuto"]), context, stato: .notFound)
        }
        let campi: [(String, String)]
        do { campi = try await Self.campi(request, context) } catch { return errore(error, context) }
        guard let s = context.sessione, Self.csrfValido(campi, atteso: s.csrf) else {
            return pagina("Non consentito", Modelli.rendi("testo", ["testo": "modulo senza token CSRF valido: nulla è stato registrato"]),
                          context, stato: .forbidden)
        }
        guard Autorizzazione.puo(s.utente.ruolo, d.nome) else { return vietato(context, "'\(d.nome)'") }
        var typed: [String: String] = [:]
        for (k, v) in campi where k != "csrf" && typed[k] == nil { typed[k] = v }
        // `prova` is the form's option, not a field of the command (as in the API): read apart.
        let prova = d.campo("prova") != nil && (typed["prova"] == "true" || typed["prova"] == "on")
        var errori = Self.mancanti(d, typed)
        // The page's form always sends `conferma` (empty until typed); a client that posts only the command's
        // fields, as DOMAIN §8 describes them, is not asked (like the CLI and the API).
        if let conferma = Self.conferma(d), !prova, errori.isEmpty, let dato = typed["conferma"],
           dato.trimmingCharacters(in: .whitespaces) != (typed[conferma.campo] ?? "").trimmingCharacters(in: .whitespaces) {
            errori.append(("conferma", "la conferma non corrisponde: \(conferma.testo.lowercased()) (\(Self.etichetta(conferma.campo)))"))
        }
        if !errori.isEmpty {
            // DOMAIN §8: a form refused for a missing value comes back with the message, 422.
            return await modulo(d, context, valori: typed, errori: errori, stato: .unprocessableContent)
        }
        do {
            guard !campi.contains(where: { ["utente", "db", "formato"].contains($0.0) }) else {
                throw ErroreUso("i campi 'utente', 'db' e 'formato' non si usano nei moduli: l'utente è chi ha eseguito l'accesso")
            }
            let date = Set(d.campi.filter { $0.tipo == .data }.map(\.nome))
            let daLeggere = campi.filter { !["csrf", "prova", "conferma"].contains($0.0) }.map { ($0.0, Optional(date.contains($0.0) ? Self.dataISO($0.1) : $0.1)) }
            let (_, valori) = try Importazione.analizza(comando: d.nome, campi: daLeggere)
            guard case let .scrittura(costruisci) = d.genere else { throw ErroreUso("'\(d.nome)' non è un comando di scrittura") }
            let comando = try costruisci(valori)
            guard let utente = Codice(validando: s.utente.nome) else { throw ErroreValore("nome utente non valido") }
            var contesto = try Catalogo.contesto(valori, base: Contesto(data: configurazione.oggi(), atto: nil, utente: utente, chiave: nil))
            contesto = Contesto(data: contesto.data, atto: contesto.atto, utente: utente, chiave: prova ? nil : contesto.chiave)
            let esiti = try await archivio.registra([Passo(comando: comando, contesto: contesto)], prova: prova)
            let eventi = esiti.flatMap(\.eventi)
            if prova {
                return registrato(eventi, context, titolo: d.nome == "chiudi" ? "Prova di chiusura: nulla è stato scritto" : "Prova: nulla è stato scritto",
                                  prova: true, dopo: Rendicontazioni.righe(esiti).map { Self.tabellaHTML($0, titolo: "Le cifre che la rendicontazione invierebbe") } ?? "")
            }
            guard let primo = eventi.first, let ultimo = eventi.last else { return Response.redirect(to: "/comandi", type: .normal) }
            let dove = await destinazione(eventi)
            return Response.redirect(to: dove == "/registrato?" ? "/registrato?da=\(primo.seq)&a=\(ultimo.seq)" : dove + "registrati=\(primo.seq)-\(ultimo.seq)",
                                     type: .normal)
        } catch {
            return await modulo(d, context, valori: typed, messaggio: messaggio(di: error), stato: Self.stato(error))
        }
    }

    /// The page of what a write recorded (an impegno, a linea's fonte, a prenotazione…), ending in `?` or `&` for
    /// the `registrati` parameter that shows the message there; `/registrato?` when nothing better fits.
    func destinazione(_ eventi: [EventoRegistrato]) async -> String {
        func impegno(_ n: String) -> String { "/impegno?numero=\(n.percentoCodificato)&" }
        guard let primo = eventi.first?.evento else { return "/registrato?" }
        switch primo {
        case let .impegnoAssunto(n, _, _, _, _, _, _, _), let .impegnoRidotto(n, _, _), let .residuoEliminato(n, _, _), let .impegnoReimputato(n, _, _, _):
            return impegno(n)
        case let .liquidazioneDisposta(_, n, _, _): return impegno(n)
        case let .liquidazioneAnnullata(l, _, _), let .pagamentoEmesso(_, l, _):
            let i = try? await archivio.usa(.lettura) { try $0.liquidazione(l)?.impegno }
            return i.flatMap { $0 }.map(impegno) ?? "/registrato?"
        case let .prenotazioneAssunta(n, _, _, _), let .prenotazioneRidotta(n, _, _): return "/prenotazione?numero=\(n.percentoCodificato)&"
        case let .accertamentoRegistrato(n, _, _, _, _), let .accertamentoRidotto(n, _, _), let .riscossioneRegistrata(_, n, _, _):
            return "/accertamento?numero=\(n.percentoCodificato)&"
        case let .fonteRegistrata(f, _, _, _, _, _), let .fonteIntegrata(f, _), let .fonteRidotta(f, _): return "/saldi?per=linea&fonte=\(f.percentoCodificato)&"
        case let .programmazioneDisposta(l, _), let .programmazioneRidotta(l, _):
            return "/saldi?per=linea&fonte=\(l.fonte.percentoCodificato)&esercizio=\(l.esercizio)&"
        case let .programmazioneSpostata(f, e, _, _, _): return "/saldi?per=linea&fonte=\(f.percentoCodificato)&esercizio=\(e)&"
        case .servizioRegistrato: return "/saldi?per=servizio&"
        case let .scadenzaFissata(_, f, _, _, _, _, _, _): return "/scadenze?fonte=\(f.percentoCodificato)&"
        case .scadenzaProrogata, .scadenzaRevocata: return "/scadenze?"
        case let .rendicontazioneInviata(n, _, _, _, _): return "/rendicontazione?numero=\(n.percentoCodificato)&"
        default: return "/registrato?"
        }
    }

    /// `gg/mm/aaaa` (the pages' format) as `AAAA-MM-GG`; anything else as typed (ISO is accepted too).
    static func dataISO(_ s: String) -> String {
        let parti = s.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard parti.count == 3, parti[2].count == 4, (1...2).contains(parti[0].count), (1...2).contains(parti[1].count),
              parti.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return s }
        func due(_ p: Substring) -> String { p.count == 1 ? "0" + p : String(p) }
        return "\(parti[2])-\(due(parti[1]))-\(due(parti[0]))"
    }

    /// What a form recorded (or, for `chiudi --prova`, would record), with each event's hash.
    func registrato(_ eventi: [EventoRegistrato], _ context: ContestoFondi, titolo: String, prova: Bool = false, dopo: String = "") -> Response {
        let righe: [[String: String]] = eventi.map {
            ["seq": prova ? "" : "\($0.seq)", "data": $0.data.italiano, "tipo": $0.evento.tipo, "frase": $0.evento.sintesi, "hash": prova ? "" : String($0.hash.prefix(16)) + "…"]
        }
        var c: [String: Any] = ["eventi": righe, "esito": prova ? "Ecco cosa verrebbe registrato." : "Registrato."]
        if !prova, let ultimo = eventi.last, case .esercizioChiuso = ultimo.evento { c["hash"] = ultimo.hash }
        return pagina(titolo, Modelli.rendi("registrato", c) + dopo, context)
    }

    func mostraRegistrato(_ request: Request, _ context: ContestoFondi) async -> Response {
        do {
            let da = try Lettura.seq(request.uri.queryParameters.get("da") ?? "", campo: "da")
            let a = try Lettura.seq(request.uri.queryParameters.get("a") ?? "", campo: "a")
            guard a >= da, a - da < 10_000 else { throw ErroreValore("intervallo di eventi non valido") }
            let eventi = try await archivio.usa(.lettura) { r -> [EventoRegistrato] in
                try Vista.controllaFino(a, r)
                var out: [EventoRegistrato] = []
                try r.leggiEventi(da: da, fino: a) { out.append($0) }
                return out
            }
            return registrato(eventi, context, titolo: "Registrato")
        } catch {
            return errore(error, context)
        }
    }
}
