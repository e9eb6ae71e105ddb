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

    func utente(_ context: ContestoFondi) -> Response {
        let u = context.sessione!.utente
        return pagina("Utente", Modelli.rendi("testo", ["testo": "Hai eseguito l'accesso come \(u.nome), ruolo \(u.ruolo.rawValue)."]), context)
    }

    func elenco(_ context: ContestoFondi) -> Response {
        let ruolo = context.sessione?.utente.ruolo ?? .consultazione
        let comandi = Autorizzazione.comandiDiScrittura.filter { Autorizzazione.puo(ruolo, $0.nome) }.map {
            ["nome": $0.nome, "percorso": $0.nome.replacingOccurrences(of: " ", with: "-"), "sintesi": $0.sintesi]
        }
        return pagina("Comandi", Modelli.rendi("comandi", ["comandi": comandi, "ruolo": ruolo.rawValue]), context)
    }

    /// The form, filled with `valori` (what was typed, or the query string), the message next to it.
    func modulo(_ d: DefinizioneComando, _ context: ContestoFondi, valori: [String: String], messaggio: String? = nil,
                stato: HTTPResponse.Status = .ok) async -> Response {
        // The linea the form is about, when its fields are filled: its disponibile goes next to the amount.
        let chiave: LineaChiave? = {
            guard let f = valori["fonte"], let sv = valori["servizio"], let e = valori["esercizio"].flatMap({ Int($0) }) else { return nil }
            return LineaChiave(fonte: f, servizio: sv, esercizio: e)
        }()
        let (fonti, servizi, disponibile) = (try? await archivio.usa(.lettura) { r -> ([String], [String], String?) in
            let (fonti, servizi) = try r.codici()
            var d: String?
            if let chiave, let l = try r.linea(chiave) {
                var s = Stato(linee: [l])
                for e in try r.esercizi() { s.inserisci(e) }
                d = "disponibile sulla linea \(chiave): \(Importo.formatoItaliano(s.disponibile(l)))"
            }
            return (fonti, servizi, d)
        }) ?? ([], [], nil)
        let oggi = configurazione.oggi().description
        let campi: [[String: Any]] = Self.campiVisibili(d).map { c in
            var aiuto = c.aiuto + " (" + c.tipo.formato + ")"
            if c.nome == "importo", let disponibile { aiuto += " — " + disponibile }
            var x: [String: Any] = ["nome": c.nome, "etichetta": Rendering.intestazione(c.nome), "obbligatorio": c.obbligatorio || c.nome == "atto" && d.conAtto,
                                    "aiuto": aiuto]
            let valore = valori[c.nome] ?? (c.nome == "data" ? oggi : "")
            if let messaggio, messaggio.contains("'\(c.nome)'") || messaggio.hasPrefix(c.nome + " ") || messaggio.contains(" \(c.nome) ") { x["errato"] = true }
            switch c.tipo {
            case .flag:
                x["casella"] = true
                x["spuntata"] = valore == "true" || valore == "on"
            case let .scelta(opzioni):
                x["scelta"] = true
                // An optional choice starts empty: choosing nothing is not choosing the first value (a scadenza's base).
                let vuota: [[String: Any]] = c.obbligatorio ? [] : [["valore": "", "etichetta": "—", "selezionata": valore.isEmpty]]
                x["opzioni"] = vuota + opzioni.map { ["valore": $0, "etichetta": $0, "selezionata": $0 == valore] }
            default:
                x["testo"] = true
                x["valore"] = valore
                x["tipo"] = c.tipo == .data ? "date" : "text"
                x["decimale"] = c.tipo == .importo
                if ["fonte", "codice"].contains(c.nome), d.nome.hasPrefix("fonte") || c.nome == "fonte" { x["lista"] = "fonti" }
                if ["servizio", "da", "a"].contains(c.nome) { x["lista"] = "servizi" }
            }
            return x
        }
        var c: [String: Any] = [
            "sintesi": d.sintesi, "percorso": d.nome.replacingOccurrences(of: " ", with: "-"),
            "csrf": context.sessione?.csrf ?? "", "chiave": valori["chiave"] ?? "web-" + Registro.segreto(), "campi": campi,
            "liste": [["id": "fonti", "voci": fonti], ["id": "servizi", "voci": servizi]],
        ]
        if let messaggio { c["messaggio"] = messaggio }
        let corpo = Modelli.rendi("modulo", c)
        return pagina(d.nome.prefix(1).uppercased() + d.nome.dropFirst(), corpo, context, stato: stato)
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

    /// Applies a form: 303 to what it recorded, or the same form with the CLI's message (422, 400) and nothing written.
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
        for (k, v) in campi where k != "csrf" { typed[k] = v }
        do {
            guard !campi.contains(where: { ["utente", "db", "formato"].contains($0.0) }) else {
                throw ErroreUso("i campi 'utente', 'db' e 'formato' non si usano nei moduli: l'utente è chi ha eseguito l'accesso")
            }
            // `prova` is the form's option, not a field of the command (as in the API): read apart.
            let prova = d.campo("prova") != nil && campi.contains { $0.0 == "prova" && ($0.1 == "true" || $0.1 == "on") }
            let (_, valori) = try Importazione.analizza(comando: d.nome, campi: campi.filter { $0.0 != "csrf" && $0.0 != "prova" }.map { ($0.0, Optional($0.1)) })
            guard case let .scrittura(costruisci) = d.genere else { throw ErroreUso("'\(d.nome)' non è un comando di scrittura") }
            let comando = try costruisci(valori)
            guard let utente = Codice(validando: s.utente.nome) else { throw ErroreValore("nome utente non valido") }
            var contesto = try Catalogo.contesto(valori, base: Contesto(data: configurazione.oggi(), atto: nil, utente: utente, chiave: nil))
            contesto = Contesto(data: contesto.data, atto: contesto.atto, utente: utente, chiave: prova ? nil : contesto.chiave)
            let passo = Passo(comando: comando, contesto: contesto)
            let esiti = try await archivio.registra([passo], prova: prova)
            let eventi = esiti.flatMap(\.eventi)
            if prova {
                let pagina = registrato(eventi, context, titolo: d.nome == "chiudi" ? "Prova di chiusura: nulla è stato scritto" : "Prova: nulla è stato scritto",
                                        prova: true, dopo: Rendicontazioni.righe(esiti).map { Self.tabellaHTML($0, titolo: "Le cifre che la rendicontazione invierebbe") } ?? "")
                return pagina
            }
            guard let primo = eventi.first, let ultimo = eventi.last else { return Response.redirect(to: "/comandi", type: .normal) }
            return Response.redirect(to: "/registrato?da=\(primo.seq)&a=\(ultimo.seq)", type: .normal)
        } catch {
            return await modulo(d, context, valori: typed, messaggio: messaggio(di: error), stato: Self.stato(error))
        }
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
