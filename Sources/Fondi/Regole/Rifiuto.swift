/// A command refused by a rule of DOMAIN §4. `messaggio` is the Italian text shown to the user; it names
/// the value and the limit. `regola` is the rule's number in DOMAIN §4 (e.g. `"4.3"`), for tests and logs.
public struct Rifiuto: Error, Equatable, Sendable, CustomStringConvertible {
    public let regola: String
    public let messaggio: String

    public init(regola: String, _ messaggio: String) {
        self.regola = regola
        self.messaggio = messaggio
    }

    public var description: String { messaggio }
}

extension Rifiuto {
    static func eu(_ c: Int64) -> String { Importo.formatoItaliano(c) }

    static func fonteSconosciuta(_ c: String) -> Rifiuto {
        Rifiuto(regola: "4.1", "fonte '\(c)' sconosciuta: registrala con 'fondi fonte registra'")
    }
    static func servizioSconosciuto(_ c: String) -> Rifiuto {
        Rifiuto(regola: "4.1", "servizio '\(c)' sconosciuto: registralo con 'fondi servizio registra'")
    }
    static func impegnoSconosciuto(_ n: String) -> Rifiuto {
        Rifiuto(regola: "4.1", "impegno '\(n)' sconosciuto")
    }
    static func liquidazioneSconosciuta(_ n: String) -> Rifiuto {
        Rifiuto(regola: "4.1", "liquidazione '\(n)' sconosciuta")
    }
    static func lineaSconosciuta(_ l: LineaChiave) -> Rifiuto {
        Rifiuto(regola: "4.1", "linea \(l) inesistente: nessuna programmazione disposta su questa linea")
    }
    static func attoMancante(_ comando: String) -> Rifiuto {
        Rifiuto(regola: "7", "atto mancante: '\(comando)' richiede --atto (es. --atto \"Det. 145/2023\")")
    }
}
