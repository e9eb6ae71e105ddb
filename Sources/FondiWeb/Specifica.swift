import Fondi
import FondiServizi

/// `GET /api/v1/openapi.json`: the API described in OpenAPI 3.1, built from the same parameter table the
/// handlers accept (`Api.parametri`); a test drives every path, method and parameter it lists.
enum Specifica {
    private static func s(_ t: String) -> ValoreJSON { .stringa(t) }
    private static func o(_ d: [String: ValoreJSON]) -> ValoreJSON { .oggetto(d) }

    static let errore = o(["type": s("object"), "required": .lista([s("errore")]),
                           "properties": o(["errore": o(["type": s("string"), "description": s("il messaggio italiano della CLI")])])])

    static func risposta(_ descrizione: String, _ tipo: String = "application/json", schema: ValoreJSON = o(["type": s("object")])) -> ValoreJSON {
        o(["description": s(descrizione), "content": o([tipo: o(["schema": schema])])])
    }

    static let errori: [String: ValoreJSON] = [
        "400": risposta("uso: parametro o campo sconosciuto, corpo che non è un oggetto JSON", schema: errore),
        "401": risposta("token mancante, non valido o revocato", schema: errore),
        "403": risposta("il ruolo non consente il comando", schema: errore),
        "422": risposta("rifiutato da una regola o da un valore non valido; nulla è scritto", schema: errore),
        "503": risposta("registro occupato da un'altra scrittura o lettura oltre il tempo massimo: nulla è scritto, si può riprovare (Retry-After)", schema: errore),
    ]

    static let descrizioni: [String: String] = [
        "saldi": "come fondi saldi --formato json", "residui": "come fondi residui --formato json",
        "prospetto": "come fondi prospetto --formato json", "storia": "come fondi storia --formato json",
        "regione/prospetto": "il prospetto di ogni ambito leggibile, fianco a fianco: ambiti (i totali) e fonti (con l'ambito); solo con fondi serve --regione",
        "verifica": "come fondi verifica --formato json (409 se il registro non è integro)",
        "eventi": "gli oggetti di fondi esporta, uno per riga (JSON Lines), da `da` per al più `limite`",
        "scadenze": "come fondi scadenze --formato json: ogni scadenza con obiettivo, raggiunto, mancante, giorni e stato",
        "rendicontazioni": "come fondi rendicontazioni --formato json",
        "rendicontazione": "come fondi rendicontazione mostra --numero R --formato json: cifre inviate, cifre di oggi e rettifiche",
        "rendicontazione/confronto": "come fondi rendicontazione confronta --numero R --formato json",
    ]

    static func parametro(_ nome: String) -> ValoreJSON {
        let intero = ["esercizio", "fino_a", "da", "limite", "entro"].contains(nome)
        var schema: [String: ValoreJSON] = ["type": s(intero ? "integer" : "string")]
        if intero {
            // The ranges `Lettura` enforces: years, event numbers (`da`, `fino_a`), and `limite`'s floor.
            schema["minimum"] = .intero(nome == "esercizio" ? Int64(Limiti.annoMin) : nome == "entro" ? 0 : 1)
            if nome == "entro" { schema["maximum"] = .intero(36_500) }
            if nome == "esercizio" { schema["maximum"] = .intero(Int64(Limiti.annoMax)) }
            if nome == "da" || nome == "fino_a" { schema["maximum"] = .intero(Lettura.seqMax) }
        }
        if nome == "al" { schema["format"] = s("date") }
        if nome == "per" { schema["enum"] = .lista(Raggruppamento.allCases.map { s($0.rawValue) }) }
        if nome == "sezione" { schema["enum"] = .lista(["impegni", "fonti", "attivi"].map(s)) }
        if nome == "stato" { schema["enum"] = .lista(StatoScadenza.allCases.map { s($0.rawValue) }) }
        if nome == "digest" { schema["pattern"] = s("^[0-9a-f]{64}$") }
        if ["fonte", "servizio", "impegno", "prenotazione", "accertamento", "numero", "destinatario"].contains(nome) { schema["pattern"] = s("^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$") }
        // `numero` names the rendicontazione a route shows: it is the one parameter a read cannot do without.
        return o(["name": s(nome), "in": s("query"), "required": .booleano(nome == "numero"), "schema": o(schema)])
    }

    static let documento: ValoreJSON = {
        var percorsi: [String: ValoreJSON] = [:]
        for (nome, parametri) in Api.parametri {
            var risposte = errori
            risposte["400"] = errori["400"]
            risposte["200"] = nome == "eventi" ? risposta("eventi", "application/x-ndjson", schema: o(["type": s("string")])) : risposta(descrizioni[nome]!)
            if nome == "verifica" { risposte["409"] = risposta("il registro non è integro: l'oggetto di verifica") }
            if nome == "regione/prospetto" { risposte["404"] = risposta("il servizio non è quello regionale (fondi serve senza --regione)", schema: errore) }
            risposte["403"] = nil
            percorsi[Api.prefisso + "/" + nome] = o(["get": o([
                "summary": s(descrizioni[nome]!), "operationId": s(nome.replacingAll("/", with: "_")), "parameters": .lista(parametri.map(parametro)),
                "responses": o(risposte),
            ])])
        }
        var risposte = errori
        risposte["413"] = risposta("corpo oltre 256 KiB: nulla è scritto", schema: errore)
        risposte["200"] = risposta("gli eventi registrati, come la CLI con --formato json (per un elenco: righe, eventi, primo_seq, ultimo_seq, hash)")
        percorsi[Api.prefisso + "/comandi"] = o(["post": o([
            "summary": s("un comando come una riga di fondi importa, oppure {\"comandi\": [...]} tutto o niente"),
            "operationId": s("comandi"),
            "parameters": .lista([o(["name": s("Idempotency-Key"), "in": s("header"), "required": .booleano(false),
                                      "schema": o(["type": s("string"), "pattern": s("^[A-Za-z0-9][A-Za-z0-9/._-]{0,63}$")])])]),
            "requestBody": o(["required": .booleano(true), "content": o(["application/json": o(["schema": o([
                "type": s("object"),
                "description": s("{\"comando\": \"impegna\", \"numero\": \"2025/1\", …} con i campi di fondi importa, oppure {\"comandi\": [ … ]}"),
            ])])])]),
            "responses": o(risposte),
        ])])
        return o([
            "openapi": s("3.1.0"),
            "info": o(["title": s("Fondi"), "version": s("1"),
                       "description": s("Il registro dei fondi dell'Ambito: le risposte sono quelle della CLI con --formato json (DOMAIN §8).")]),
            "components": o(["securitySchemes": o(["token": o(["type": s("http"), "scheme": s("bearer"),
                                                                "description": s("un token di fondi utente token")])])]),
            "security": .lista([o(["token": .lista([])])]),
            "paths": o(percorsi),
        ])
    }()
}
