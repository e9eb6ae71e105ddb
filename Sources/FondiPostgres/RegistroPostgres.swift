import Fondi
import FondiStore
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// Where a ledger lives on PostgreSQL: `postgres://USER[:PASSWORD]@HOST[:PORT]/DB?ambito=CODE` (ADR 0019),
/// with libpq's `sslmode` and `sslrootcert` (ADR 0025); absent from the address, `PGSSLMODE` and `PGSSLROOTCERT`
/// as libpq reads them, then `prefer`.
public struct IndirizzoPostgres: Sendable, Equatable {
    /// libpq's `sslmode` words (`allow` is not offered: it would try clear text first).
    public enum ModoSSL: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verificaCA = "verify-ca"
        case verificaCompleta = "verify-full"
    }

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
    /// TLS to the server: `prefer` unless the address or `PGSSLMODE` says otherwise.
    public var ssl: ModoSSL = .prefer
    /// The CA certificate(s) that sign the server's (`sslrootcert=PATH`); without it, the system's trusted roots.
    public var radiceSSL: String?

    /// The address as shown to users and in logs: never the password.
    public var descrizione: String { "postgres://\(utente)@\(host):\(porta)/\(database)?ambito=\(ambito)" }

    /// The schema of the Ambito's ledger: `ambito_` and the code in lower case (letters, digits, `_`).
    public var schema: String { "ambito_" + ambito.lowercased() }

    public static func riconosce(_ testo: String) -> Bool { testo.hasPrefix("postgres://") || testo.hasPrefix("postgresql://") }

    /// The address as typed, its password (if any) replaced by `***`: what a message may show.
    public static func senzaPassword(_ testo: String) -> String {
        guard let inizio = testo.range(of: "://") else { return testo }
        let resto = testo[inizio.upperBound...]
        let fine = resto.firstIndex(of: "?") ?? resto.endIndex
        guard let chiocciola = resto[..<fine].lastIndex(of: "@"), let duePunti = resto[..<chiocciola].firstIndex(of: ":") else { return testo }
        return String(testo[..<resto.index(after: duePunti)]) + "***" + String(testo[chiocciola...])
    }

    public init(_ testo: String, ambiente: [String: String] = ProcessInfo.processInfo.environment) throws(ErrorePostgres) {
        let mostrato = Self.senzaPassword(testo)
        guard let inizio = testo.range(of: "://"), Self.riconosce(testo) else {
            throw ErrorePostgres("indirizzo '\(mostrato)' non valido: atteso postgres://UTENTE@HOST:PORTA/DATABASE?ambito=CODICE")
        }
        var resto = Substring(testo[inizio.upperBound...])
        var query = ""
        if let q = resto.firstIndex(of: "?") { query = String(resto[resto.index(after: q)...]); resto = resto[..<q] }
        guard let chiocciola = resto.lastIndex(of: "@"), let barra = resto[chiocciola...].firstIndex(of: "/") else {
            throw ErrorePostgres("indirizzo '\(mostrato)' non valido: mancano l'utente (UTENTE@) o il database (/DATABASE)")
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
                throw ErrorePostgres("indirizzo '\(mostrato)' non valido: porta '\(server[server.index(after: duePunti)...])' non è un numero da 1 a 65535")
            }
            porta = p
        } else {
            host = String(server); porta = 5432
        }
        var ambito: String?
        var modo = ambiente["PGSSLMODE"].flatMap { $0.isEmpty ? nil : $0 }
        radiceSSL = ambiente["PGSSLROOTCERT"].flatMap { $0.isEmpty ? nil : $0 }
        for coppia in query.split(separator: "&") {
            let parti = coppia.split(separator: "=", maxSplits: 1)
            guard parti.count == 2 else { continue }
            let valore = String(parti[1]).removingPercentEncoding ?? String(parti[1])
            switch parti[0] {
            case "ambito": ambito = valore
            case "applicazione": applicazione = valore
            case "regione": regione = valore
            case "sslmode": modo = valore
            case "sslrootcert": radiceSSL = valore
            default: break
            }
        }
        if let modo {
            guard let m = ModoSSL(rawValue: modo) else {
                throw ErrorePostgres("indirizzo '\(mostrato)' non valido: sslmode '\(modo)' sconosciuto (disable, prefer, require, verify-ca, verify-full)")
            }
            ssl = m
        }
        guard let ambito, !ambito.isEmpty, ambito.count <= 40,
              ambito.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) else {
            throw ErrorePostgres("indirizzo '\(mostrato)' non valido: manca ?ambito=CODICE (lettere, cifre e _, fino a 40)")
        }
        guard !utente.isEmpty, !host.isEmpty, !database.isEmpty else {
            throw ErrorePostgres("indirizzo '\(mostrato)' non valido: utente, host e database non possono essere vuoti")
        }
        self.ambito = ambito
        for a in [applicazione, regione].compactMap({ $0 }) where a.isEmpty || a.count > 63
            || !a.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) {
            throw ErrorePostgres("indirizzo '\(mostrato)' non valido: ruolo '\(a)' (minuscole, cifre e _, fino a 63)")
        }
        if let a = applicazione, a.isEmpty || a.count > 63 || !a.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }) {
            throw ErrorePostgres("indirizzo '\(mostrato)' non valido: ruolo applicativo '\(a)' (minuscole, cifre e _, fino a 63)")
        }
    }

    /// TLS as libpq's `sslmode` means it: `prefer` and `require` encrypt without checking whose certificate it is
    /// (`require` with `sslrootcert` checks the chain, as libpq does); `verify-ca` checks the chain; `verify-full`
    /// also the host name (an IP address against the certificate's IP entries).
    func tls() throws(ErrorePostgres) -> PostgresConnection.Configuration.TLS {
        guard ssl != .disable else { return .disable }
        var c = TLSConfiguration.makeClientConfiguration()
        let catena = ssl == .verificaCA || ssl == .verificaCompleta || (ssl == .require && radiceSSL != nil)
        c.certificateVerification = ssl == .verificaCompleta ? .fullVerification : catena ? .noHostnameVerification : .none
        if let radiceSSL {
            guard FileManager.default.isReadableFile(atPath: radiceSSL) else {
                throw ErrorePostgres("sslrootcert '\(radiceSSL)' non leggibile: indica il file del certificato dell'autorità che firma quello del server")
            }
            c.trustRoots = .file(radiceSSL)
        }
        let contesto: NIOSSLContext
        do { contesto = try NIOSSLContext(configuration: c) } catch {
            throw ErrorePostgres("sslrootcert '\(radiceSSL ?? "")' non valido (\(error)): serve un certificato PEM")
        }
        return ssl == .prefer ? .prefer(contesto) : .require(contesto)
    }
}

/// A failure talking to PostgreSQL, in Italian for the operator.
public struct ErrorePostgres: Error, CustomStringConvertible, Sendable {
    public let messaggio: String
    public init(_ messaggio: String) { self.messaggio = messaggio }
    public var description: String { messaggio }
}

extension IndirizzoPostgres {
    /// Parses an address for a front end: a bad one is the store's "cannot open" (its message, never the
    /// password), as a missing SQLite file is, rather than an unexpected error.
    public static func perAprire(_ testo: String) throws(ErroreArchivio) -> IndirizzoPostgres {
        do { return try IndirizzoPostgres(testo) } catch {
            throw ErroreArchivio.motore(codice: ErroreArchivio.codiceNonAperto, messaggio: error.messaggio, dettaglio: "indirizzo")
        }
    }
}
