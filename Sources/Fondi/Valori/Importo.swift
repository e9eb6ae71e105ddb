/// An amount of money in euro, held as a whole number of cents.
///
/// Amounts carried by events are always positive (DOMAIN §2): the event type gives the direction.
/// Balances are plain `Int64` cents in the projections; `Importo` is the validated input value.
public struct Importo: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The amount in euro cents. Never negative, never above `centesimiMax`.
    public let centesimi: Int64

    /// 10^13 cents (100 billion euro): far above any ente locale's budget (DOMAIN §4.1). Every balance of a
    /// fonte and of its linee and impegni is bounded by its assegnato, itself checked ≤ 10^13 on every
    /// registration and integration, so per-fonte sums cannot overflow `Int64` (9.2 × 10^18). Report totals
    /// across fonti (`prospetto`, `saldi --per servizio|esercizio`) add at most 10^13 per fonte: they would
    /// need more than 900,000 fonti at the maximum to overflow (not a million amounts, as this comment
    /// once said: 10^6 × 10^13 = 10^19 does not fit).
    public static let centesimiMax: Int64 = 10_000_000_000_000

    /// - Precondition: `0 <= centesimi <= Importo.centesimiMax`.
    public init(centesimi: Int64) {
        precondition(centesimi >= 0, "importo negativo: \(centesimi)")
        precondition(centesimi <= Self.centesimiMax, "importo oltre il limite: \(centesimi)")
        self.centesimi = centesimi
    }

    public static let zero = Importo(centesimi: 0)

    public static func < (lhs: Importo, rhs: Importo) -> Bool { lhs.centesimi < rhs.centesimi }

    /// `€ 1.234,56`.
    public var description: String { "€ " + Importo.formatoItaliano(centesimi) }
}

// MARK: - Formatting

extension Importo {
    /// Formats cents the Italian way, `1.234,56`; negative values get a leading minus.
    public static func formatoItaliano(_ centesimi: Int64) -> String {
        let negativo = centesimi < 0
        let assoluto = centesimi.magnitude
        let euro = String(assoluto / 100)
        var gruppi: [Substring] = []
        var fine = euro.endIndex
        while fine > euro.startIndex {
            let inizio = euro.index(fine, offsetBy: -3, limitedBy: euro.startIndex) ?? euro.startIndex
            gruppi.append(euro[inizio..<fine])
            fine = inizio
        }
        let centesimiTesto = assoluto % 100 < 10 ? "0\(assoluto % 100)" : "\(assoluto % 100)"
        return (negativo ? "-" : "") + gruppi.reversed().joined(separator: ".") + "," + centesimiTesto
    }

    /// Formats cents for CSV: a dot and two decimals, no grouping (`1234.56`).
    public static func formatoPunto(_ centesimi: Int64) -> String {
        let negativo = centesimi < 0
        let assoluto = centesimi.magnitude
        let decimali = assoluto % 100 < 10 ? "0\(assoluto % 100)" : "\(assoluto % 100)"
        return (negativo ? "-" : "") + "\(assoluto / 100).\(decimali)"
    }
}
