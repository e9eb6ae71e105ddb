import Fondi
import FondiStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Where a ledger lives on PostgreSQL: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB?ambito=CODE` (ADR 0019).
public struct IndirizzoPostgres: Sendable, Equatable {
    public var utente: String
    public var password: String?
    public var host: String
    public var porta: Int
    public var database: String
    public var ambito: String

    /// The role `fondi init` grants the application's privileges to (`&applicazione=`; default `fondi_app`).
    public var applicazione: String?
    /// The regional reader `fondi init` grants the new Ambito's tables for reading (`&regione=`; default
    /// `fondi_regione` when it exists).
    public var regione: String?

    /// The address as shown to users and in logs: never the password.
    public var descrizione: String { "postgres://\(utente)@\(host):\(porta)/\(database)?ambito=\(ambito)" }

    /// The schema of the Ambito's ledger: `ambito_` and the code in lower case (letters, digits, `_`).
    public var schema: String { "ambito_" + ambito.lowercased() }

    public static func riconosce(_ testo: String) -> Bool { testo.hasPrefix("postgres://") || testo.hasPrefix("postgresql://") }

    public init(_ testo: String) throws(ErrorePostgres) {
        guard let inizio = testo.range(of: "://"), Self.riconosce(testo) else {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: atteso postgres://UTENTE@HOST:PORTA/DATABASE?ambito=CODICE")
        }
        var resto = Substring(testo[inizio.upperBound...])
        var query = ""
        if let q = resto.firstIndex(of: "?") { query = String(resto[resto.index(after: q)...]); resto = resto[..<q] }
        guard let chiocciola = resto.lastIndex(of: "@"), let barra = resto[chiocciola...].firstIndex(of: "/") else {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: mancano l'utente (UTENTE@) o il database (/DATABASE)")
        }
        let credenziali = resto[..<chiocciola]
        if let duePunti = credenziali.firstIndex(of: ":") {
            utente = String(credenziali[..<duePunti]); password = String(credenziali[credenziali.index(after: duePunti)...])
        } else {
            utente = String(credenziali); password = nil
        }
        let server = resto[resto.index(after: chiocciola)..<barra]
        database = String(resto[resto.index(after: barra)...])
        if let duePunti = server.lastIndex(of: ":") {
            host = String(server[..<duePunti])
            guard let p = Int(server[server.index(after: duePunti)...]), (1...65535).contains(p) else {
                throw ErrorePostgres("indirizzo '\(testo)' non valido: porta '\(server[server.index(after: duePunti)...])' non è un numero da 1 a 65535")
            }
            porta = p
        } else {
            host = String(server); porta = 5432
        }
        var ambito: String?
        for coppia in query.split(separator: "&") {
            let parti = coppia.split(separator: "=", maxSplits: 1)
            if parti.count == 2, parti[0] == "ambito" { ambito = String(parti[1]) }
            if parti.count == 2, parti[0] == "applicazione" { applicazione = String(parti[1]) }
            if parti.count == 2, parti[0] == "regione" { regione = String(parti[1]) }
        }
        guard let ambito, !ambito.isEmpty, ambito.count <= 40,
              ambito.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: manca ?ambito=CODICE (lettere, cifre e _, fino a 40)")
        }
        guard !utente.isEmpty, !host.isEmpty, !database.isEmpty else {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: utente, host e database non possono essere vuoti")
        }
        self.ambito = ambito
        for a in [applicazione, regione].compactMap({ $0 }) where a.isEmpty || a.count > 63
            || !a.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: ruolo '\(a)' (minuscole, cifre e _, fino a 63)")
        }
        if let a = applicazione, a.isEmpty || a.count > 63 || !a.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) {
            throw ErrorePostgres("indirizzo '\(testo)' non valido: ruolo applicativo '\(a)' (minuscole, cifre e _, fino a 63)")
        }
    }

    var configurazione: PostgresClient.Configuration {
        PostgresClient.Configuration(host: host, port: porta, username: utente, password: password, database: database, tls: .disable)
    }
}

/// A failure talking to PostgreSQL, in Italian for the operator.
public struct ErrorePostgres: Error, CustomStringConvertible, Sendable {
    public let messaggio: String
    public init(_ messaggio: String) { self.messaggio = messaggio }
    public var description: String { messaggio }
}
