/// A JSON value, as far as Fondi needs one: event payloads, exports and imported command lines.
///
/// Numbers keep their integer value when they are integers (all of Fondi's are, DOMAIN §6);
/// any other number keeps its literal text, so an imported `1234.56` is read as typed, never as a `Double`.
public enum ValoreJSON: Equatable, Sendable {
    case stringa(String)
    case intero(Int64)
    /// A number that is not an `Int64` integer, as its literal text (e.g. `1234.56`).
    case numero(String)
    case booleano(Bool)
    case nullo
    case oggetto([String: ValoreJSON])
    case lista([ValoreJSON])
}

// MARK: - Canonical serialisation (RFC 8785 for integer-only documents)

extension ValoreJSON {
    /// The canonical bytes: keys sorted by UTF-16 code units, no insignificant whitespace, UTF-8,
    /// strings escaped as ECMAScript's `JSON.stringify` does (DOMAIN §6, RFC 8785 §3.2).
    public var canonico: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        scriviCanonico(into: &out)
        return out
    }

    /// The canonical text (see `canonico`).
    public var testoCanonico: String { String(decoding: canonico, as: UTF8.self) }

    public func scriviCanonico(into out: inout [UInt8]) {
        switch self {
        case let .stringa(s): ValoreJSON.scriviStringa(s, into: &out)
        case let .intero(n): out.append(contentsOf: String(n).utf8)
        case let .numero(t): out.append(contentsOf: t.utf8)
        case let .booleano(b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .nullo: out.append(contentsOf: "null".utf8)
        case let .lista(valori):
            out.append(0x5B)
            for (i, v) in valori.enumerated() {
                if i > 0 { out.append(0x2C) }
                v.scriviCanonico(into: &out)
            }
            out.append(0x5D)
        case let .oggetto(campi):
            ValoreJSON.scriviCampi(campi.keys, into: &out) { k, out in campi[k]!.scriviCanonico(into: &out) }
        }
    }

    /// Writes the canonical text of an object whose fields write themselves, in the canonical order of its
    /// keys: an object holding a list too large to build as a tree has that list written entry by entry
    /// (`scriviLista`), with the same bytes as the tree.
    public static func scriviOggetto(_ campi: [String: (inout [UInt8]) -> Void], into out: inout [UInt8]) {
        scriviCampi(campi.keys, into: &out) { k, out in campi[k]!(&out) }
    }

    /// `{"k":v,…}` with the keys in canonical order (UTF-16 code units), each value written by `valore`.
    private static func scriviCampi(_ chiavi: some Collection<String>, into out: inout [UInt8], _ valore: (String, inout [UInt8]) -> Void) {
        out.append(0x7B)
        for (i, k) in chiavi.sorted(by: { $0.utf16.lexicographicallyPrecedes($1.utf16) }).enumerated() {
            if i > 0 { out.append(0x2C) }
            ValoreJSON.scriviStringa(k, into: &out)
            out.append(0x3A)
            valore(k, &out)
        }
        out.append(0x7D)
    }

    /// Writes the canonical text of a list, making each entry's value only as it is written.
    public static func scriviLista<S: Sequence>(_ voci: S, into out: inout [UInt8], voce: (S.Element) -> ValoreJSON) {
        out.append(0x5B)
        var primo = true
        for v in voci {
            if !primo { out.append(0x2C) }
            primo = false
            voce(v).scriviCanonico(into: &out)
        }
        out.append(0x5D)
    }

    static let esadecimale: [UInt8] = Array("0123456789abcdef".utf8)

    public static func scriviStringa(_ s: String, into out: inout [UInt8]) {
        var testo = s
        testo.withUTF8 { scriviStringa(byte: $0, into: &out) }
    }

    /// Escapes raw UTF-8 bytes as a JSON string (RFC 8785), e.g. straight from a SQLite column.
    public static func scriviStringa(byte: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(0x22)
        // Fast path: most strings need no escape and are copied in one go.
        if !byte.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out.append(contentsOf: byte)
        } else {
            for b in byte {
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x08: out.append(contentsOf: [0x5C, 0x62])
                case 0x0C: out.append(contentsOf: [0x5C, 0x66])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                case 0x00..<0x20:
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, esadecimale[Int(b >> 4)], esadecimale[Int(b & 0xF)]])
                default: out.append(b)
                }
            }
        }
        out.append(0x22)
    }
}

// MARK: - Accessors

extension ValoreJSON {
    public subscript(chiave: String) -> ValoreJSON? {
        if case let .oggetto(campi) = self { return campi[chiave] }
        return nil
    }
    public var stringa: String? { if case let .stringa(s) = self { return s }; return nil }
    public var intero: Int64? { if case let .intero(n) = self { return n }; return nil }
    public var booleano: Bool? { if case let .booleano(b) = self { return b }; return nil }
}
