import Fondi

/// The values given to one command, by option name, as text (normalised to NFC on the way in: DOMAIN
/// rule 13, "before anything else"). Typed accessors convert them; each refusal names the option and the
/// value. Presence of required options is checked when the line is parsed (`Analisi`), as a usage error.
public struct Valori: Sendable {
    /// Where the values come from: a command line (messages say `--importo`) or a line of a file, a form
    /// or an API body (messages say `importo`).
    public enum Origine: Sendable { case comandoLinea, riga }

    public let origine: Origine
    public private(set) var testi: [String: String] = [:]

    public init(origine: Origine) { self.origine = origine }

    /// Sets a value; false when the option was already given (a usage error for the caller).
    /// File paths are kept byte for byte (`normalizza: false`): a file is named by its bytes.
    public mutating func imposta(_ nome: String, _ valore: String, normalizza: Bool = true) -> Bool {
        guard testi[nome] == nil else { return false }
        testi[nome] = normalizza ? Testo.nfc(valore) : valore
        return true
    }

    public func ha(_ nome: String) -> Bool { testi[nome] != nil }

    func campo(_ nome: String) -> String { origine == .comandoLinea ? "--\(nome)" : nome }

    public func testoGrezzo(_ nome: String) -> String? { testi[nome] }

    func richiesto(_ nome: String) throws(ErroreUso) -> String {
        guard let v = testi[nome] else { throw ErroreUso("manca l'opzione obbligatoria '--\(nome)'") }
        return v
    }

    public func codice(_ nome: String) throws -> Codice { try Codice(try richiesto(nome), campo: campo(nome)) }
    public func codiceOpzionale(_ nome: String) throws -> Codice? { try testi[nome].map { try Codice($0, campo: campo(nome)) } }
    /// A code of one kind (an impegno's number, a fonte's code…): `Numero<K>` from the context.
    public func numero<K>(_ nome: String) throws -> Numero<K> { Numero(try codice(nome)) }
    public func numeroOpzionale<K>(_ nome: String) throws -> Numero<K>? { try codiceOpzionale(nome).map { Numero($0) } }
    public func testo(_ nome: String) throws -> Testo { try Testo(try richiesto(nome), campo: campo(nome)) }
    public func testoOpzionale(_ nome: String) throws -> Testo? { try testi[nome].map { try Testo($0, campo: campo(nome)) } }

    public func importo(_ nome: String) throws -> Importo {
        let t = try richiesto(nome)
        do { return try Importo(testo: t) } catch { throw ErroreValore("\(campo(nome)): \(error.description)") }
    }

    public func anno(_ nome: String) throws -> Int { try Lettura.anno(try richiesto(nome), campo: campo(nome)) }
    public func annoOpzionale(_ nome: String) throws -> Int? { try testi[nome].map { try Lettura.anno($0, campo: campo(nome)) } }
    public func data(_ nome: String) throws -> DataContabile? { try testi[nome].map { try Lettura.data($0, campo: campo(nome)) } }
    public func dataRichiesta(_ nome: String) throws -> DataContabile { try Lettura.data(try richiesto(nome), campo: campo(nome)) }
    public func seq(_ nome: String) throws -> Int64? { try testi[nome].map { try Lettura.seq($0, campo: campo(nome)) } }

    /// A flag: given on the command line, or `true`/`on` in a file or form (`false` or absent: not given).
    public func flag(_ nome: String) -> Bool { testi[nome] == "true" }

    /// One of the allowed words, or the default; a bad word is a bad value (exit 1).
    public func scelta(_ nome: String, tra ammesse: [String], predefinita: String) throws -> String {
        guard let v = testi[nome] else { return predefinita }
        guard ammesse.contains(v) else {
            throw ErroreValore("\(campo(nome)) '\(Testo.visibile(v))' non valido: usa \(Lettura.elenco(ammesse))")
        }
        return v
    }
}

/// Parsing of typed values, each refusal naming the option and the value.
public enum Lettura {
    public static func data(_ testo: String, campo: String) throws -> DataContabile {
        guard let d = DataContabile(testo: testo) else {
            throw ErroreValore("\(campo) '\(Testo.visibile(testo))' non valida: scrivi la data come AAAA-MM-GG, ad esempio 2023-02-01")
        }
        return d
    }

    public static func anno(_ testo: String, campo: String) throws -> Int {
        guard testo.utf8.count == 4, testo.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let a = Int(testo),
              (Limiti.annoMin...Limiti.annoMax).contains(a) else {
            throw ErroreValore("\(campo) '\(Testo.visibile(testo))' non valido: atteso un anno di quattro cifre tra \(Limiti.annoMin) e \(Limiti.annoMax)")
        }
        return a
    }

    /// Event numbers (`seq`, `da`, `fino_a`): 1 up to `seqMax`, so that any sum of a seq with a bounded count
    /// (`da + limite`) stays far from Int64's edge.
    public static let seqMax: Int64 = 999_999_999_999_999_999

    public static func seq(_ testo: String, campo: String) throws -> Int64 {
        try intero(testo, campo: campo, tra: 1...seqMax, atteso: "un numero di evento")
    }

    /// A whole number written in decimal digits only (no sign, no spaces), within `intervallo`; anything else,
    /// or a number outside, is a bad value naming the field, the value and the range. The parse itself cannot
    /// overflow: at most 19 digits are read, and `Int64(_:)` refuses what does not fit.
    public static func intero(_ testo: String, campo: String, tra intervallo: ClosedRange<Int64>, atteso: String) throws -> Int64 {
        guard !testo.isEmpty, testo.utf8.count <= 19, testo.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int64(testo),
              intervallo.contains(n) else {
            let limiti = "da \(intervallo.lowerBound) a \(intervallo.upperBound)"
            throw ErroreValore("\(campo) '\(Testo.visibile(String(testo.prefix(40))))' non valido: atteso \(atteso) (\(limiti))")
        }
        return n
    }

    /// `a, b oppure c`.
    public static func elenco(_ parole: [String], congiunzione: String = "oppure") -> String {
        guard parole.count > 1 else { return parole.first ?? "" }
        return parole.dropLast().joined(separator: ", ") + " \(congiunzione) " + parole.last!
    }
}
