/// The kinds of identifier an act carries, as phantom types: `Numero<DiImpegno>` and `Numero<DiLiquidazione>`
/// are both valid codes (DOMAIN rule 13) but different types, so putting an impegno's number where a
/// liquidazione's is expected does not compile (issue 19).
public enum DiFonte {}
public enum DiServizio {}
public enum DiImpegno {}
public enum DiLiquidazione {}
public enum DiMandato {}
public enum DiPrenotazione {}
public enum DiAccertamento {}
public enum DiReversale {}
public enum DiScadenza {}
public enum DiRendicontazione {}

/// A code of one kind: a `Codice` (validated, NFC, ASCII) that knows what it numbers.
public struct Numero<Tipo>: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let codice: Codice
    public var testo: String { codice.testo }
    public var description: String { codice.description }

    public init(_ codice: Codice) { self.codice = codice }

    /// Validates `valore`; the refusal names the field (as `Codice` does).
    public init(_ valore: String, campo: String) throws(Rifiuto) { codice = try Codice(valore, campo: campo) }

    public static func < (a: Numero, b: Numero) -> Bool { a.codice < b.codice }
}

extension Numero: ExpressibleByStringLiteral {
    /// Literals are code, not input: an invalid literal is a programming error.
    public init(stringLiteral valore: String) { self.init(Codice(stringLiteral: valore)) }
}

public typealias CodiceFonte = Numero<DiFonte>
public typealias CodiceServizio = Numero<DiServizio>
public typealias NumeroImpegno = Numero<DiImpegno>
public typealias NumeroLiquidazione = Numero<DiLiquidazione>
public typealias NumeroMandato = Numero<DiMandato>
public typealias NumeroPrenotazione = Numero<DiPrenotazione>
public typealias NumeroAccertamento = Numero<DiAccertamento>
public typealias NumeroReversale = Numero<DiReversale>
public typealias NumeroScadenza = Numero<DiScadenza>
public typealias NumeroRendicontazione = Numero<DiRendicontazione>

extension LineaChiave {
    /// A linea named by a fonte's and a servizio's codes.
    public init(fonte: CodiceFonte, servizio: CodiceServizio, esercizio: Int) {
        self.init(fonte: fonte.testo, servizio: servizio.testo, esercizio: esercizio)
    }
}
