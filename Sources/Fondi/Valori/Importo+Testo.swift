/// Why a text is not an amount. `description` is the Italian message shown to the user.
public enum ImportoTestoErrore: Error, Equatable, Sendable, CustomStringConvertible {
    case vuoto
    case ambiguo(String)
    case formatoNonValido(String)
    case nonPositivo(String)
    case oltreLimite(String)

    public var description: String {
        switch self {
        case .vuoto:
            "importo mancante: scrivi ad esempio 1.234,56"
        case let .ambiguo(testo):
            "importo '\(testo)' ambiguo: scrivi \(testo),00 per indicare euro interi, oppure usa la virgola per i decimali"
        case let .formatoNonValido(testo):
            "importo '\(testo)' non valido: scrivi ad esempio 1.234,56 oppure 1234,56 oppure 1234.56 (al massimo due decimali, senza segno)"
        case let .nonPositivo(testo):
            "importo '\(testo)' non valido: deve essere maggiore di zero"
        case let .oltreLimite(testo):
            "importo '\(testo)' oltre il limite di 100.000.000.000,00 euro"
        }
    }
}

extension Importo {
    /// Parses an amount as typed by a finance officer (DOMAIN §7).
    ///
    /// Accepted: `1.234,56` (dots group thousands), `1234,56` or `1234`, `1234.56` (a dot followed by one
    /// or two decimals). Refused as ambiguous: `1.234`, `1.234.567` (thousands or decimals?). Everything
    /// else is refused: signs, spaces, exponents, `12,`, `,5`, three decimals. The amount must be > 0.
    /// - Throws: `ImportoTestoErrore`, whose message names the text and shows the accepted forms.
    public init(testo: String) throws(ImportoTestoErrore) {
        guard !testo.isEmpty else { throw .vuoto }
        let byte = Array(testo.utf8)
        guard byte.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2C }) else {
            throw .formatoNonValido(testo)
        }
        let virgole = byte.indices.filter { byte[$0] == 0x2C }
        let punti = byte.indices.filter { byte[$0] == 0x2E }
        var interi: [UInt8]
        var decimali: [UInt8] = []
        if virgole.count > 1 { throw .formatoNonValido(testo) }
        if let virgola = virgole.first {
            decimali = Array(byte[(virgola + 1)...])
            guard (1...2).contains(decimali.count), !decimali.contains(0x2E) else { throw .formatoNonValido(testo) }
            interi = try Self.interiRaggruppati(Array(byte[..<virgola]), testo: testo, ambiguoSeSoloGruppi: false)
        } else if punti.count == 1, byte.count - punti[0] - 1 <= 2 {
            // `1234.56`: a single dot with one or two digits after it is a decimal point.
            let punto = punti[0]
            decimali = Array(byte[(punto + 1)...])
            interi = Array(byte[..<punto])
            guard !decimali.isEmpty, !interi.isEmpty else { throw .formatoNonValido(testo) }
        } else {
            interi = try Self.interiRaggruppati(byte, testo: testo, ambiguoSeSoloGruppi: true)
        }
        var valore: Int64 = 0
        for cifra in interi + (decimali + [0x30, 0x30]).prefix(2) {
            let (per10, o1) = valore.multipliedReportingOverflow(by: 10)
            let (somma, o2) = per10.addingReportingOverflow(Int64(cifra - 0x30))
            guard !o1, !o2, somma <= Self.centesimiMax else { throw .oltreLimite(testo) }
            valore = somma
        }
        guard valore > 0 else { throw .nonPositivo(testo) }
        self.init(centesimi: valore)
    }

    /// The integer part: plain digits, or digits grouped by dots in threes (`1.234.567`).
    private static func interiRaggruppati(
        _ byte: [UInt8], testo: String, ambiguoSeSoloGruppi: Bool
    ) throws(ImportoTestoErrore) -> [UInt8] {
        guard !byte.isEmpty else { throw .formatoNonValido(testo) }
        let gruppi = byte.split(separator: 0x2E, omittingEmptySubsequences: false)
        if gruppi.count == 1 { return byte }
        guard (1...3).contains(gruppi[0].count), gruppi.dropFirst().allSatisfy({ $0.count == 3 }) else {
            throw .formatoNonValido(testo)
        }
        if ambiguoSeSoloGruppi { throw .ambiguo(testo) }
        return gruppi.flatMap { $0 }
    }
}
