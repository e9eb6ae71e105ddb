/// A calendar date (`YYYY-MM-DD`), the accounting date of an act. No time, no time zone.
public struct DataContabile: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `anno * 10_000 + mese * 100 + giorno` in 4 bytes: replay keeps millions of dates in memory, and the
    /// packed value orders like the date.
    private let valore: Int32

    public var anno: Int { Int(valore / 10_000) }
    public var mese: Int { Int(valore / 100 % 100) }
    public var giorno: Int { Int(valore % 100) }

    /// - Precondition: a real calendar date between year 1 and 9999.
    public init(anno: Int, mese: Int, giorno: Int) {
        precondition(DataContabile.valida(anno: anno, mese: mese, giorno: giorno), "data non valida: \(anno)-\(mese)-\(giorno)")
        valore = Int32(anno * 10_000 + mese * 100 + giorno)
    }

    /// Parses `YYYY-MM-DD` strictly: four-digit year, two-digit month and day, a real calendar date.
    public init?(testo: String) {
        var t = testo
        guard let d = t.withUTF8({ DataContabile(byte: $0) }) else { return nil }
        self = d
    }

    /// Parses `YYYY-MM-DD` from raw UTF-8 bytes (a stored column), strictly as `init?(testo:)`.
    public init?(byte b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        func numero(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        guard let a = numero(0..<4), let m = numero(5..<7), let g = numero(8..<10),
              DataContabile.valida(anno: a, mese: m, giorno: g) else { return nil }
        self.init(anno: a, mese: m, giorno: g)
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    public var giornoAssoluto: Int {
        let a = mese <= 2 ? anno - 1 : anno
        let era = (a >= 0 ? a : a - 399) / 400
        let anniEra = a - era * 400
        let giornoAnno = (153 * (mese + (mese > 2 ? -3 : 9)) + 2) / 5 + giorno - 1
        let giornoEra = anniEra * 365 + anniEra / 4 - anniEra / 100 + giornoAnno
        return era * 146_097 + giornoEra - 719_468
    }

    /// The date `giorni` days after 1970-01-01 (H. Hinnant's civil_from_days), the inverse of `giornoAssoluto`.
    /// - Precondition: a date between year 1 and 9999.
    public init(giornoAssoluto giorni: Int) {
        let z = giorni + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let giornoEra = z - era * 146_097
        let anniEra = (giornoEra - giornoEra / 1460 + giornoEra / 36524 - giornoEra / 146_096) / 365
        let giornoAnno = giornoEra - (365 * anniEra + anniEra / 4 - anniEra / 100)
        let mp = (5 * giornoAnno + 2) / 153
        let g = giornoAnno - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(anno: anniEra + era * 400 + (m <= 2 ? 1 : 0), mese: m, giorno: g)
    }

    /// Calendar days from this date to `altra` (negative when `altra` is earlier).
    public func giorni(fino altra: DataContabile) -> Int { altra.giornoAssoluto - giornoAssoluto }

    /// 31 December of `anno`: the end of an esercizio.
    public static func fineEsercizio(_ anno: Int) -> DataContabile { DataContabile(anno: anno, mese: 12, giorno: 31) }

    public static func valida(anno: Int, mese: Int, giorno: Int) -> Bool {
        guard (1...9999).contains(anno), (1...12).contains(mese), giorno >= 1 else { return false }
        let bisestile = (anno % 4 == 0 && anno % 100 != 0) || anno % 400 == 0
        let giorni = [31, bisestile ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mese - 1]
        return giorno <= giorni
    }

    public static func < (l: DataContabile, r: DataContabile) -> Bool { l.valore < r.valore }

    /// `2023-02-01`.
    public var description: String {
        func due(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let a = String(anno)
        return String(repeating: "0", count: max(0, 4 - a.count)) + a + "-" + due(mese) + "-" + due(giorno)
    }

    /// `01/02/2023`, the Italian way, for tables.
    public var italiano: String {
        func due(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return due(giorno) + "/" + due(mese) + "/" + String(anno)
    }
}
