/// A code or number (DOMAIN rule 13): fonte and servizio codes; impegno, liquidazione and mandato numbers;
/// idempotency keys; user names. 1–64 characters of ASCII letters, digits and `- _ . /`, compared exactly.
///
/// The only way to get one is through `init(_:campo:)`, which refuses anything else, so two codes that look
/// the same are the same bytes: no `Café` next to `Cafe\u{301}`, no Cyrillic `Ѕ1` next to `S1`, no zero-width
/// or bidirectional characters. Every command (`Comando`) and context (`Contesto`) holds codes as this type.
public struct Codice: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let testo: String

    /// Validates `valore`; the refusal names the field and the first character that is not allowed.
    public init(_ valore: String, campo: String) throws(Rifiuto) {
        if let motivo = Codice.motivoRifiuto(valore) {
            throw Rifiuto(regola: "4.13", "\(campo) '\(Testo.visibile(valore))' non valido: \(motivo)")
        }
        testo = valore
    }

    /// A code known valid by construction (a literal in code, or a value already validated).
    public init?(validando valore: String) {
        guard Codice.motivoRifiuto(valore) == nil else { return nil }
        testo = valore
    }

    public var description: String { testo }
    public static func < (a: Codice, b: Codice) -> Bool { a.testo < b.testo }

    /// Whether a byte may appear in a code.
    @inline(__always)
    static func ammesso(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"): true
        default: false
        }
    }

    /// Why `valore` is not a code, or nil when it is one.
    static func motivoRifiuto(_ valore: String) -> String? {
        var n = 0
        for b in valore.utf8 {
            guard ammesso(b) else {
                let scalare = valore.unicodeScalars.first { !($0.isASCII && ammesso(UInt8($0.value))) }!
                return "il carattere \(Testo.nome(scalare)) non è ammesso; usa da 1 a \(Limiti.codiceLunghezzaMax) lettere senza accenti (A-Z, a-z), cifre e i segni - _ . /"
            }
            n += 1
        }
        if n == 0 { return "è vuoto; usa da 1 a \(Limiti.codiceLunghezzaMax) lettere senza accenti (A-Z, a-z), cifre e i segni - _ . /" }
        if n > Limiti.codiceLunghezzaMax { return "\(n) caratteri, al massimo \(Limiti.codiceLunghezzaMax)" }
        return nil
    }
}

extension Codice: ExpressibleByStringLiteral {
    /// Literals are code, not input: an invalid literal is a programming error.
    public init(stringLiteral valore: String) {
        guard let c = Codice(validando: valore) else { preconditionFailure("codice non valido nel sorgente: \(valore)") }
        self = c
    }
}

/// Descriptive text (DOMAIN rule 13): tipo, descrizione, creditore, oggetto, motivo, atto, documento, cig,
/// cup. Normalised to Unicode NFC first, then 1–500 characters with no control (tab and newline included),
/// format (zero-width, bidirectional overrides and isolates) or unassigned code points, and not blank.
public struct Testo: Hashable, Sendable, CustomStringConvertible {
    /// The NFC form: what is validated, compared, hashed and stored.
    public let testo: String

    public init(_ valore: String, campo: String) throws(Rifiuto) {
        let normale = Testo.nfc(valore)
        if let motivo = Testo.motivoRifiuto(normale) {
            throw Rifiuto(regola: "4.13", "\(campo): \(motivo)")
        }
        testo = normale
    }

    public init?(validando valore: String) {
        let normale = Testo.nfc(valore)
        guard Testo.motivoRifiuto(normale) == nil else { return nil }
        testo = normale
    }

    public var description: String { testo }

    /// NFC, with ASCII (always NFC) left as it is.
    public static func nfc(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
        return String(decoding: s._nfcCodeUnits, as: UTF8.self)
    }

    static func motivoRifiuto(_ s: String) -> String? {
        var ascii = true
        for b in s.utf8 {
            if b >= 0x80 { ascii = false; break }
            if b < 0x20 || b == 0x7F {
                return "il carattere \(nome(Unicode.Scalar(b))) non è ammesso (niente caratteri di controllo, tabulazioni o a capo)"
            }
        }
        if !ascii, let x = s.unicodeScalars.first(where: vietato) {
            let genere = switch x.properties.generalCategory {
            case .control: "di controllo"
            case .format: "di formato, invisibile"
            default: "non assegnato"
            }
            return "il carattere \(nome(x)) non è ammesso (carattere \(genere))"
        }
        if s.allSatisfy(\.isWhitespace) { return "testo vuoto" }
        // Characters are Unicode code points (as most languages count them), so a cluster of combining
        // marks cannot smuggle kilobytes into one "character".
        if s.utf8.count > Limiti.testoLunghezzaMax, s.unicodeScalars.count > Limiti.testoLunghezzaMax {
            return "testo troppo lungo: \(s.unicodeScalars.count) caratteri, al massimo \(Limiti.testoLunghezzaMax)"
        }
        return nil
    }

    static func vietato(_ x: Unicode.Scalar) -> Bool {
        switch x.properties.generalCategory {
        case .control, .format, .unassigned: true
        default: false
        }
    }

    /// `U+202E`, plus the character itself when it is visible and harmless to print.
    static func nome(_ x: Unicode.Scalar) -> String {
        var esadecimale = String(x.value, radix: 16, uppercase: true)
        while esadecimale.count < 4 { esadecimale = "0" + esadecimale }
        let visibile = x.value > 0x20 && x.value != 0x7F && !vietato(x) && x.properties.generalCategory != .spaceSeparator
        return visibile ? "'\(Character(x))' (U+\(esadecimale))" : "U+\(esadecimale)"
    }

    /// A value safe to echo in a message: controls and format characters shown as `U+XXXX`, at most 80 characters.
    public static func visibile(_ s: String) -> String {
        var out = ""
        for x in s.unicodeScalars.prefix(80) {
            if x.value < 0x20 || x.value == 0x7F || vietato(x) { out += "<" + nome(x) + ">" } else { out.unicodeScalars.append(x) }
        }
        if s.unicodeScalars.count > 80 { out += "…" }
        return out
    }
}

extension Testo: ExpressibleByStringLiteral {
    public init(stringLiteral valore: String) {
        guard let t = Testo(validando: valore) else { preconditionFailure("testo non valido nel sorgente: \(valore)") }
        self = t
    }
}
