/// Why a text is not JSON, with the byte offset where reading stopped.
public struct ErroreJSON: Error, Equatable, Sendable, CustomStringConvertible {
    public let posizione: Int
    public let motivo: String
    public var description: String { "JSON non valido alla posizione \(posizione + 1): \(motivo)" }
}

extension ValoreJSON {
    /// Nesting deeper than this is refused: Fondi's documents are flat, and a bound keeps recursion safe.
    public static let profonditaMax = 32

    /// Parses one JSON document (RFC 8259). Trailing non-space bytes are an error.
    public static func leggi(_ testo: String) throws(ErroreJSON) -> ValoreJSON {
        var lettore = LettoreJSON(byte: Array(testo.utf8))
        return try lettore.documento()
    }

    /// Parses one flat JSON object (values neither objects nor lists are nested inside it) into its pairs
    /// in document order: a line of an `importa` file. Invalid UTF-8 and repeated keys are refused.
    public static func leggiOggettoPiatto(byte: [UInt8]) throws(ErroreJSON) -> [(String, ValoreJSON)] {
        var lettore = LettoreJSON(byte: byte)
        return try lettore.oggettoPiatto()
    }
}

struct LettoreJSON {
    let byte: [UInt8]
    var i = 0
    /// False only for bytes whose integrity the hash chain already guarantees (stored payloads): invalid
    /// UTF-8 is then repaired instead of refused, which is cheaper and changes nothing the chain relies on.
    var validaUTF8 = true

    init(byte: [UInt8], validaUTF8: Bool = true) {
        self.byte = byte
        self.validaUTF8 = validaUTF8
    }

    /// Reads a flat object (`{"k":v,…}` whose values are not objects or lists) into key/value pairs in
    /// document order, without building a dictionary: the payload fast path of replay.
    /// `annidati`: values may be lists and objects (a stored payload: `RendicontazioneInviata`'s `righe`).
    mutating func oggettoPiatto(annidati: Bool = false) throws(ErroreJSON) -> [(String, ValoreJSON)] {
        spazi()
        guard i < byte.count, byte[i] == 0x7B else { throw errore("atteso un oggetto") }
        let campi = try coppie(profondita: annidati ? 1 : ValoreJSON.profonditaMax - 2)
        spazi()
        guard i == byte.count else { throw errore("caratteri in più dopo il documento") }
        return campi
    }

    func errore(_ motivo: String) -> ErroreJSON { ErroreJSON(posizione: i, motivo: motivo) }

    mutating func documento() throws(ErroreJSON) -> ValoreJSON {
        let v = try valore(profondita: 0)
        spazi()
        guard i == byte.count else { throw errore("caratteri in più dopo il documento") }
        return v
    }

    mutating func spazi() {
        while i < byte.count, byte[i] == 0x20 || byte[i] == 0x0A || byte[i] == 0x0D || byte[i] == 0x09 { i += 1 }
    }

    mutating func valore(profondita: Int) throws(ErroreJSON) -> ValoreJSON {
        guard profondita < ValoreJSON.profonditaMax else { throw errore("annidamento troppo profondo") }
        spazi()
        guard i < byte.count else { throw errore("documento incompleto") }
        switch byte[i] {
        case 0x7B: return try oggetto(profondita: profondita)
        case 0x5B: return try lista(profondita: profondita)
        case 0x22: return .stringa(try stringa())
        case 0x74: try parola("true"); return .booleano(true)
        case 0x66: try parola("false"); return .booleano(false)
        case 0x6E: try parola("null"); return .nullo
        case 0x2D, 0x30...0x39: return try numero()
        default: throw errore("valore inatteso")
        }
    }

    mutating func parola(_ p: String) throws(ErroreJSON) {
        let attesi = Array(p.utf8)
        guard i + attesi.count <= byte.count, byte[i..<(i + attesi.count)].elementsEqual(attesi) else {
            throw errore("valore inatteso")
        }
        i += attesi.count
    }

    mutating func oggetto(profondita: Int) throws(ErroreJSON) -> ValoreJSON {
        var campi: [String: ValoreJSON] = [:]
        for (k, v) in try coppie(profondita: profondita) { campi[k] = v }
        return .oggetto(campi)
    }

    /// The members of the object starting at `i` (on its `{`), in document order; repeated keys are refused.
    mutating func coppie(profondita: Int) throws(ErroreJSON) -> [(String, ValoreJSON)] {
        i += 1
        var campi: [(String, ValoreJSON)] = []
        campi.reserveCapacity(10)
        spazi()
        if i < byte.count, byte[i] == 0x7D { i += 1; return campi }
        while true {
            spazi()
            guard i < byte.count, byte[i] == 0x22 else { throw errore("attesa una chiave tra virgolette") }
            let k = try stringa()
            spazi()
            guard i < byte.count, byte[i] == 0x3A else { throw errore("atteso ':'") }
            i += 1
            guard !campi.contains(where: { $0.0 == k }) else { throw errore("chiave '\(k)' ripetuta") }
            campi.append((k, try valore(profondita: profondita + 1)))
            spazi()
            guard i < byte.count else { throw errore("oggetto non chiuso") }
            if byte[i] == 0x2C { i += 1; continue }
            if byte[i] == 0x7D { i += 1; return campi }
            throw errore("atteso ',' o '}'")
        }
    }

    mutating func lista(profondita: Int) throws(ErroreJSON) -> ValoreJSON {
        i += 1
        var valori: [ValoreJSON] = []
        spazi()
        if i < byte.count, byte[i] == 0x5D { i += 1; return .lista(valori) }
        while true {
            valori.append(try valore(profondita: profondita + 1))
            spazi()
            guard i < byte.count else { throw errore("lista non chiusa") }
            if byte[i] == 0x2C { i += 1; continue }
            if byte[i] == 0x5D { i += 1; return .lista(valori) }
            throw errore("atteso ',' o ']'")
        }
    }

    mutating func numero() throws(ErroreJSON) -> ValoreJSON {
        let inizio = i
        if byte[i] == 0x2D { i += 1 }
        let cifreInizio = i
        while i < byte.count, byte[i] >= 0x30, byte[i] <= 0x39 { i += 1 }
        guard i > cifreInizio else { throw errore("numero non valido") }
        guard !(byte[cifreInizio] == 0x30 && i - cifreInizio > 1) else { throw errore("numero con zeri iniziali") }
        var intero = true
        if i < byte.count, byte[i] == 0x2E {
            intero = false
            i += 1
            let d = i
            while i < byte.count, byte[i] >= 0x30, byte[i] <= 0x39 { i += 1 }
            guard i > d else { throw errore("numero non valido") }
        }
        if i < byte.count, byte[i] == 0x65 || byte[i] == 0x45 {
            intero = false
            i += 1
            if i < byte.count, byte[i] == 0x2B || byte[i] == 0x2D { i += 1 }
            let d = i
            while i < byte.count, byte[i] >= 0x30, byte[i] <= 0x39 { i += 1 }
            guard i > d else { throw errore("numero non valido") }
        }
        let testo = String(decoding: byte[inizio..<i], as: UTF8.self)
        if intero, let n = Int64(testo) { return .intero(n) }
        return .numero(testo)
    }

    mutating func stringa() throws(ErroreJSON) -> String {
        i += 1
        let inizio = i
        // Fast path: no escapes.
        while i < byte.count, byte[i] != 0x22, byte[i] != 0x5C, byte[i] >= 0x20 { i += 1 }
        if i < byte.count, byte[i] == 0x22 {
            defer { i += 1 }
            return try utf8Valido(byte[inizio..<i])
        }
        var out = Array(byte[inizio..<i])
        while true {
            guard i < byte.count else { throw errore("stringa non chiusa") }
            let b = byte[i]
            if b == 0x22 { i += 1; return try utf8Valido(out[...]) }
            guard b >= 0x20 else { throw errore("carattere di controllo in una stringa") }
            if b != 0x5C { out.append(b); i += 1; continue }
            i += 1
            guard i < byte.count else { throw errore("stringa non chiusa") }
            let e = byte[i]
            i += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var u = try esadecimale4()
                if (0xD800...0xDBFF).contains(u) {
                    guard i + 1 < byte.count, byte[i] == 0x5C, byte[i + 1] == 0x75 else { throw errore("surrogato isolato") }
                    i += 2
                    let basso = try esadecimale4()
                    guard (0xDC00...0xDFFF).contains(basso) else { throw errore("surrogato isolato") }
                    u = 0x10000 + ((u - 0xD800) << 10) + (basso - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(u) {
                    throw errore("surrogato isolato")
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(u)!)).utf8)
            default: throw errore("sequenza di escape non valida")
            }
        }
    }

    mutating func esadecimale4() throws(ErroreJSON) -> UInt32 {
        guard i + 4 <= byte.count else { throw errore("escape \\u incompleto") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = byte[i]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            default: throw errore("escape \\u non valido")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    func utf8Valido(_ s: ArraySlice<UInt8>) throws(ErroreJSON) -> String {
        guard validaUTF8 else { return String(decoding: s, as: UTF8.self) }
        guard let t = String(validating: s, as: UTF8.self) else { throw errore("UTF-8 non valido") }
        return t
    }
}
