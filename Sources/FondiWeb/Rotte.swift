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
    case apiSpecifica, apiSaldi, apiResidui, apiProspetto, apiRegione, apiStoria, apiVerifica, apiEventi, apiComandi

    /// What a request's body carries.
    public enum Corpo: String, Sendable {
        case nessuno
        /// `application/x-www-form-urlencoded` with the fields in `campi`.
        case modulo
        /// The form of the command named in the path: its fields are the command's (`Catalogo`).
        case moduloComando = "modulo_comando"
        /// One `importa` object, or `{"comandi": […]}`.
        case json
    }

    public var metodo: HTTPRequest.Method {
        switch self {
        case .accedi, .esci, .inviaModulo, .inviaChiusura, .apiComandi: .post
        default: .get
        }
    }

    public var percorso: String {
        switch self {
        case .stile: "/stile.css"
        case .salute: "/salute"
        case .metriche: "/metriche"
        case .moduloAccesso, .accedi: "/accesso"
        case .esci: "/uscita"
        case .cruscotto: "/"
        case .saldi: "/saldi"
        case .residui: "/residui"
        case .prospetto: "/prospetto"
        case .regione: "/regione"
        case .storia: "/storia"
        case .impegni: "/impegni"
        case .impegno: "/impegno"
        case .evento: "/eventi/:seq"
        case .verifica: "/verifica"
        case .utente: "/utente"
        case .comandi: "/comandi"
        case .modulo, .inviaModulo: "/comandi/:comando"
        case .registrato: "/registrato"
        case .chiusura, .inviaChiusura: "/chiusura"
        case .apiSpecifica: Api.prefisso + "/openapi.json"
        case .apiSaldi, .apiResidui, .apiProspetto, .apiRegione, .apiStoria, .apiVerifica, .apiEventi, .apiComandi:
            Api.prefisso + "/" + (nomeApi ?? "")
        }
    }

    /// The name of an API read under `/api/v1/` (also its key in `openapi.json`).
    public var nomeApi: String? {
        switch self {
        case .apiSaldi: "saldi"
        case .apiResidui: "residui"
        case .apiProspetto: "prospetto"
        case .apiRegione: "regione/prospetto"
        case .apiStoria: "storia"
        case .apiVerifica: "verifica"
        case .apiEventi: "eventi"
        case .apiComandi: "comandi"
        default: nil
        }
    }

    /// Reachable without a session or token.
    public var pubblica: Bool { [.stile, .salute, .metriche, .moduloAccesso, .accedi, .apiSpecifica].contains(self) }

    static let tempo = ["al", "fino_a"]
    static let filtri = ["fonte", "servizio", "esercizio"]
    static let soggetti = ["impegno", "fonte", "servizio", "prenotazione", "accertamento"]

    /// The query parameters the handler reads, as sent (`fino_a` with `_`): nothing else is read.
    public var parametri: [String] {
        switch self {
        case .saldi, .residui, .prospetto, .cruscotto: ["per"] + Self.filtri + Self.tempo + ["sezione", "formato"]
        case .apiSaldi: ["per"] + Self.filtri + Self.tempo
        case .apiResidui: Self.filtri + Self.tempo + ["sezione"]
        case .apiProspetto: Self.filtri + Self.tempo
        case .storia: Self.soggetti + Self.tempo + ["formato"]
        case .apiStoria: Self.soggetti + Self.tempo
        case .impegni: Self.filtri + ["q", "ordina", "verso", "pagina", "da_pagare"] + Self.tempo
        case .impegno: ["numero"] + Self.tempo
        case .verifica: ["digest", "avanzamento"]
        case .apiVerifica: ["digest"]
        case .apiEventi: ["da", "limite"]
        case .registrato: ["da", "a"]
        case .chiusura: ["esercizio"]
        case .modulo: ["*"]  // a form opened from a link comes filled with its fields: any of the command's
        default: []
        }
    }

    public var corpo: Corpo {
        switch self {
        case .accedi, .esci, .inviaChiusura: .modulo
        case .inviaModulo: .moduloComando
        case .apiComandi: .json
        default: .nessuno
        }
    }

    /// The fields of a `.modulo` body that the handler reads.
    public var campi: [String] {
        switch self {
        case .accedi: ["nome", "password", "csrf"]
        case .esci: ["csrf"]
        case .inviaChiusura: ["csrf", "esercizio", "atto", "data", "chiave", "passo"] + ["impegno", "azione", "importo", "anno", "numero", "motivo"].map { $0 + "_0" }
        default: []
        }
    }

    /// The values a path parameter takes (the forms' names for `:comando`); empty where any value is read.
    public var valoriPercorso: [String] {
        switch self {
        case .modulo, .inviaModulo: Autorizzazione.comandiDiScrittura.map { $0.nome.replacingAll(" ", with: "-") }
        default: []
        }
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
