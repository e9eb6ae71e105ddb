import Fondi
import FondiStore

/// A value that does not parse (amount, date, year, seq, `--per`, `--formato`): exit 1, nothing written.
public struct ErroreValore: Error, Equatable, CustomStringConvertible {
    public let messaggio: String
    public init(_ messaggio: String) { self.messaggio = messaggio }
    public var description: String { messaggio }
}

/// A command line (or a line of a file) whose shape is wrong: an unknown command or option, a missing
/// required option, an option given twice. Exit 2 (HTTP 400).
public struct ErroreUso: Error, Equatable, CustomStringConvertible {
    public let messaggio: String
    /// The command whose usage line to show, when known.
    public let comando: String?
    public init(_ messaggio: String, comando: String? = nil) {
        self.messaggio = messaggio
        self.comando = comando
    }
    public var description: String { messaggio }
}

/// A usage error on one line of an imported file (exit 2, like the same error typed on the command line).
public struct ErroreUsoRiga: Error, Equatable, CustomStringConvertible {
    public let riga: Int
    public let messaggio: String
    public var description: String { "riga \(riga): \(messaggio)" }
}

/// An integrity failure: the chain, a projection or a snapshot differs from the events, or the file itself
/// is damaged. Exit 3 (HTTP 409).
public struct VerificaFallita: Error, CustomStringConvertible {
    public let messaggio: String
    public init(messaggio: String) { self.messaggio = messaggio }
    public var description: String { messaggio }
}

/// A request over one of the server's limits (a body too large): HTTP 413, nothing written.
public struct ErroreLimite: Error, CustomStringConvertible {
    public let messaggio: String
    public init(_ messaggio: String) { self.messaggio = messaggio }
    public var description: String { messaggio }
}

/// What kind of failure an error is: the one decision a front end needs, mapped by the CLI to exit codes
/// and by the server to HTTP statuses (DOMAIN §7–8).
public enum Categoria: Sendable, Equatable {
    /// Refused by a rule or a bad value: exit 1, HTTP 422.
    case rifiuto
    /// Usage: exit 2, HTTP 400.
    case uso
    /// Integrity failure: exit 3, HTTP 409.
    case integrita

    public var codiceUscita: Int32 {
        switch self {
        case .rifiuto: 1
        case .uso: 2
        case .integrita: 3
        }
    }

    public init(_ errore: any Error) {
        switch errore {
        case is ErroreUso, is ErroreUsoRiga: self = .uso
        case is VerificaFallita, is ErroreIntegrita: self = .integrita
        default: self = .rifiuto
        }
    }
}

/// The Italian message for any error, without the `errore:` prefix.
public func messaggio(di errore: any Error) -> String {
    switch errore {
    case let e as Rifiuto: e.messaggio
    case let e as RifiutoRiga: "\(e.description); nulla è stato importato"
    case let e as ErroreUsoRiga: "\(e.description); nulla è stato importato"
    case let e as ErroreValore: e.messaggio
    case let e as ErroreUso: e.messaggio
    case let e as ErroreLimite: e.messaggio
    case let e as Registro.ErroreApertura: e.description
    case let e as Registro.CopiaRifiutata: e.messaggio
    case let e as ErroreArchivio: e.messaggio
    case let e as VerificaFallita: e.messaggio
    case let e as ErroreIntegrita: e.description
    case let e as ImportoTestoErrore: e.description
    default: "errore imprevisto: \(errore)"
    }
}
