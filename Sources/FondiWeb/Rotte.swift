import Fondi
import FondiServizi
import HTTPTypes
import Hummingbird

/// Every route of `fondi serve`, described once: its method and path, whether it needs a session, the query
/// parameters its handler reads and what its body carries. The router is built from this table (`Web.router`),
/// the handlers read their parameters through it (`Pagine.valori`, `Api.valori`), `openapi.json` lists the API's
/// from it, and `fondi serve --rotte` prints it for the hostile-input suite, so a new route is attacked without
/// editing the test. A case added here without a handler does not compile (`Web.gestore` switches over all).
public enum Rotta: String, CaseIterable, Sendable {
    case stile, salute, metriche, moduloAccesso, accedi, esci
    case cruscotto, saldi, residui, prospetto, regione, storia, impegni, impegno, evento, verifica, utente
    case comandi, modulo, inviaModulo, registrato, chiusura, inviaChiusura
    // Issue 21: the officer's screen.
    case favicon, faviconIco, prenotazioni, accertamenti, prenotazione, accertamento, utenti, inviaUtenti, inviaPassword
    case importa, inviaImporta, istantanee, inviaIstantanea, script, cifre
    case apiSpecifica, apiSaldi, apiResidui, apiProspetto, apiRegione, apiStoria, apiVerifica, apiEventi, apiComandi
    // DOMAIN §10.
    case scadenze, rendicontazioni, rendicontazione, confronto
    case apiScadenze, apiRendicontazioni, apiRendicontazione, apiConfronto

    /// What a request's body carries.
    public enum Corpo: String, Sendable {
        case nessuno
        /// `application/x-www-form-urlencoded` with the fields in `campi`.
        case modulo
        /// The form of the command named in the path: its fields are the command's (`Catalogo`).
        case moduloComando = "modulo_comando"
        /// One `importa` object, or `{"comandi": […]}`.
        case json
        /// `multipart/form-data` with the fields in `campi`, one of them a file.
        case file
    }

    /// A route as the table describes it.
    public struct Descrizione: Sendable {
        public let metodo: HTTPRequest.Method
        public let percorso: String
        /// Reachable without a session or token.
        public let pubblica: Bool
        /// The query parameters the handler reads, as sent (`fino_a` with `_`): nothing else is read.
        /// `["*"]`: a form opened from a link, filled with any of its command's fields.
        public let parametri: [String]
        public let corpo: Corpo
        /// The fields of a `.modulo` body that the handler reads.
        public let campi: [String]

        init(_ metodo: HTTPRequest.Method, _ percorso: String, pubblica: Bool = false, parametri: [String] = [], corpo: Corpo = .nessuno,
             campi: [String] = []) {
            (self.metodo, self.percorso, self.pubblica, self.parametri, self.corpo, self.campi) = (metodo, percorso, pubblica, parametri, corpo, campi)
        }
    }

    static let tempo = ["al", "fino_a"]
    static let filtri = ["fonte", "servizio", "esercizio"]
    static let soggetti = ["impegno", "fonte", "servizio", "prenotazione", "accertamento"]
    static let parametriRapporto = ["per"] + filtri + tempo + ["sezione", "formato", "col", "colonne", "anno"]
    static let campiChiusura = ["csrf", "esercizio", "atto", "data", "chiave", "passo", "conferma_esercizio", "filtro", "provenienza", "filtro_applicato", "provenienza_applicato"] + ["impegno", "azione", "importo", "anno", "numero", "motivo"].map { $0 + "_0" }
    static let api = Api.prefisso + "/"
    static let parametriScadenze = ["fonte", "stato", "entro"] + tempo

    /// Every route, one line each: an exhaustive switch, so a new case cannot go undescribed.
    public var descrizione: Descrizione {
        switch self {
        case .stile: Descrizione(.get, "/stile.css", pubblica: true)
        case .salute: Descrizione(.get, "/salute", pubblica: true)
        case .metriche: Descrizione(.get, "/metriche", pubblica: true)
        case .moduloAccesso: Descrizione(.get, "/accesso", pubblica: true)
        case .accedi: Descrizione(.post, "/accesso", pubblica: true, corpo: .modulo, campi: ["nome", "password", "csrf"])
        case .esci: Descrizione(.post, "/uscita", corpo: .modulo, campi: ["csrf"])
        case .cruscotto: Descrizione(.get, "/", parametri: Self.parametriRapporto)
        case .saldi: Descrizione(.get, "/saldi", parametri: Self.parametriRapporto)
        case .residui: Descrizione(.get, "/residui", parametri: Self.parametriRapporto)
        case .prospetto: Descrizione(.get, "/prospetto", parametri: Self.parametriRapporto)
        case .regione: Descrizione(.get, "/regione")
        case .storia: Descrizione(.get, "/storia", parametri: Self.soggetti + Self.tempo + ["formato", "tipo", "dal", "utente", "q", "prima"])
        case .impegni: Descrizione(.get, "/impegni", parametri: Self.filtri + ["q", "ordina", "verso", "pagina", "da_pagare", "formato"] + Self.tempo)
        case .impegno: Descrizione(.get, "/impegno", parametri: ["numero"] + Self.tempo)
        case .evento: Descrizione(.get, "/eventi/:seq")
        case .verifica: Descrizione(.get, "/verifica", parametri: ["digest", "avanzamento"])
        case .utente: Descrizione(.get, "/utente")
        case .comandi: Descrizione(.get, "/comandi")
        case .modulo: Descrizione(.get, "/comandi/:comando", parametri: ["*"])
        case .inviaModulo: Descrizione(.post, "/comandi/:comando", corpo: .moduloComando)
        case .registrato: Descrizione(.get, "/registrato", parametri: ["da", "a"])
        case .favicon: Descrizione(.get, "/favicon.svg", pubblica: true)
        case .faviconIco: Descrizione(.get, "/favicon.ico", pubblica: true)
        case .prenotazioni: Descrizione(.get, "/prenotazioni", parametri: ["fonte", "esercizio", "formato", "pagina"] + Self.tempo)
        case .accertamenti: Descrizione(.get, "/accertamenti", parametri: ["fonte", "esercizio", "formato", "pagina"] + Self.tempo)
        case .prenotazione: Descrizione(.get, "/prenotazione", parametri: ["numero"] + Self.tempo)
        case .accertamento: Descrizione(.get, "/accertamento", parametri: ["numero"] + Self.tempo)
        case .utenti: Descrizione(.get, "/utenti")
        case .inviaUtenti: Descrizione(.post, "/utenti", corpo: .modulo, campi: ["csrf", "azione", "nome", "ruolo", "password"])
        case .inviaPassword: Descrizione(.post, "/utente", corpo: .modulo, campi: ["csrf", "attuale", "nuova", "ripeti"])
        case .importa: Descrizione(.get, "/importa")
        case .inviaImporta: Descrizione(.post, "/importa", corpo: .file, campi: ["csrf", "chiave", "file"])
        case .istantanee: Descrizione(.get, "/istantanee")
        case .inviaIstantanea: Descrizione(.post, "/istantanee", corpo: .modulo, campi: ["csrf"])
        case .script: Descrizione(.get, "/fondi.js", pubblica: true)
        case .cifre: Descrizione(.get, "/cifre", parametri: Pagine.campiCifre)
        case .chiusura: Descrizione(.get, "/chiusura", parametri: ["esercizio"])
        case .inviaChiusura: Descrizione(.post, "/chiusura", corpo: .modulo, campi: Self.campiChiusura)
        case .apiSpecifica: Descrizione(.get, Self.api + "openapi.json", pubblica: true)
        case .apiSaldi: Descrizione(.get, Self.api + "saldi", parametri: ["per"] + Self.filtri + Self.tempo)
        case .apiResidui: Descrizione(.get, Self.api + "residui", parametri: Self.filtri + Self.tempo + ["sezione"])
        case .apiProspetto: Descrizione(.get, Self.api + "prospetto", parametri: Self.filtri + Self.tempo)
        case .apiRegione: Descrizione(.get, Self.api + "regione/prospetto")
        case .apiStoria: Descrizione(.get, Self.api + "storia", parametri: Self.soggetti + Self.tempo)
        case .apiVerifica: Descrizione(.get, Self.api + "verifica", parametri: ["digest"])
        case .apiEventi: Descrizione(.get, Self.api + "eventi", parametri: ["da", "limite"])
        case .apiComandi: Descrizione(.post, Self.api + "comandi", corpo: .json)
        case .scadenze: Descrizione(.get, "/scadenze", parametri: Self.parametriScadenze + ["formato"])
        case .rendicontazioni: Descrizione(.get, "/rendicontazioni", parametri: ["destinatario", "formato"])
        case .rendicontazione: Descrizione(.get, "/rendicontazione", parametri: ["numero", "formato"])
        case .confronto: Descrizione(.get, "/rendicontazione/confronto", parametri: ["numero", "formato"])
        case .apiScadenze: Descrizione(.get, Self.api + "scadenze", parametri: Self.parametriScadenze)
        case .apiRendicontazioni: Descrizione(.get, Self.api + "rendicontazioni", parametri: ["destinatario"])
        case .apiRendicontazione: Descrizione(.get, Self.api + "rendicontazione", parametri: ["numero"])
        case .apiConfronto: Descrizione(.get, Self.api + "rendicontazione/confronto", parametri: ["numero"])
        }
    }

    public var metodo: HTTPRequest.Method { descrizione.metodo }
    public var percorso: String { descrizione.percorso }
    public var pubblica: Bool { descrizione.pubblica }
    public var parametri: [String] { descrizione.parametri }
    public var corpo: Corpo { descrizione.corpo }
    public var campi: [String] { descrizione.campi }

    /// The name of an API route under `/api/v1/` (also its key in `openapi.json`).
    public var nomeApi: String? { percorso.hasPrefix(Self.api) ? String(percorso.dropFirst(Self.api.count)) : nil }

    /// The values a path parameter takes (the forms' names for `:comando`); empty where any value is read.
    public var valoriPercorso: [String] {
        percorso.hasSuffix(":comando") ? Autorizzazione.comandiDiScrittura.map { $0.nome.replacingAll(" ", with: "-") } : []
    }

    /// The table as JSON, for `fondi serve --rotte` (one object per route; the forms' fields per command).
    public static var descrizione: ValoreJSON {
        let moduli = Autorizzazione.comandiDiScrittura.map { d -> (String, ValoreJSON) in
            (d.nome.replacingAll(" ", with: "-"), .lista(d.campi.map { .stringa($0.nome) }))
        }
        return .oggetto([
            "rotte": .lista(allCases.map { r in
                .oggetto(["nome": .stringa(r.rawValue), "metodo": .stringa(r.metodo.rawValue), "percorso": .stringa(r.percorso),
                          "pubblica": .booleano(r.pubblica), "parametri": .lista(r.parametri.map(ValoreJSON.stringa)),
                          "corpo": .stringa(r.corpo.rawValue), "campi": .lista(r.campi.map(ValoreJSON.stringa)),
                          "valori_percorso": .lista(r.valoriPercorso.map(ValoreJSON.stringa))])
            }),
            "campi_dei_comandi": .oggetto(Dictionary(uniqueKeysWithValues: moduli)),
        ])
    }
}
