/// The canonical binary encoding of a `Stato`: every resident entity in key order, then the archived tables'
/// multiset fingerprints (ADR 0009); integers as zigzag LEB128 varints, strings length-prefixed UTF-8, an absent
/// optional as length −1. Snapshots store it. Each entity's own bytes (`scrivi(_:in:)`) are also what its
/// 512-bit fingerprint is computed over, for the state digest.
extension Stato {
    /// Bumped when the layout changes; a snapshot of another version is ignored (rebuilt from events).
    package static let versioneCodifica: Int64 = 5

    /// Calls `corpo` with the canonical bytes of every resident entity, table by table (ADR 0009): the
    /// store fingerprints them for the state digest. Order within a table does not matter to the digest.
    package func perOgniEntita(_ corpo: (TabellaStato, UnsafeRawBufferPointer) -> Void) {
        var s = ScrittoreBinario()
        func emetti<E: EntitaDescritta>(_: E.Type) {
            E.perOgni(in: self, ordinato: false) { e in
                s.buffer.removeAll(keepingCapacity: true)
                e.scrivi(in: &s)
                s.buffer.withUnsafeBytes { corpo(E.tabella, $0) }
            }
        }
        for t in TabellaStato.allCases { emetti(t.tipo) }
    }

    // MARK: The whole state

    /// Streams the encoding in chunks of about 64 KiB.
    /// - Complexity: O(n log n) in the number of resident entities (the keys are sorted).
    package func codifica(_ emetti: @escaping ([UInt8]) -> Void) {
        var s = ScrittoreBinario(emetti: emetti)
        s.intero(Self.versioneCodifica)
        func elenco<E: EntitaDescritta>(_: E.Type) {
            var n: Int64 = 0
            E.perOgni(in: self, ordinato: false) { _ in n += 1 }
            s.intero(n)
            E.perOgni(in: self, ordinato: true) { $0.scrivi(in: &s) }
        }
        for t in TabellaStato.allCases { elenco(t.tipo) }
        s.intero(archiviaSaldati ? 1 : 0)
        for a in archiviati {
            s.intero(a.conteggio)
            for parola in a.somma { s.intero(Int64(bitPattern: parola)) }
        }
        s.chiudi()
    }

    /// The whole encoding in one buffer (snapshots store it).
    package var codificato: [UInt8] {
        var out: [UInt8] = []
        codifica { out.append(contentsOf: $0) }
        return out
    }

    /// Decodes a snapshot. Returns nil on any inconsistency: a damaged snapshot is ignored, never trusted.
    package init?(codificato byte: [UInt8]) {
        var l = LettoreBinario(byte: byte)
        guard let versione = try? l.intero(), versione == Self.versioneCodifica else { return nil }
        var s = Stato()
        for t in TabellaStato.allCases {
            guard Self.elenco(&l, t.tipo, in: &s) else { return nil }
        }
        guard let archivia = try? l.intero(), archivia == 0 || archivia == 1 else { return nil }
        s.archiviaSaldati = archivia == 1
        for t in TabellaStato.allCases {
            guard let n = try? l.intero() else { return nil }
            var somma: [UInt64] = []
            for _ in 0..<8 {
                guard let p = try? l.intero() else { return nil }
                somma.append(UInt64(bitPattern: p))
            }
            guard let a = ImprontaTabella(conteggio: n, somma: somma) else { return nil }
            s.archiviati[t.rawValue] = a
        }
        guard l.fine else { return nil }
        self = s
    }

    /// A count, then as many entities of type `E`, put in `s`; false on any inconsistency.
    static func elenco<E: EntitaDescritta>(_ l: inout LettoreBinario, _: E.Type, in s: inout Stato) -> Bool {
        guard let n = try? l.intero(), n >= 0, n < 1 << 40 else { return false }
        E.riserva(Int(n), in: &s)
        for _ in 0..<n {
            guard let x = try? E(leggendo: &l) else { return false }
            x.inserisci(in: &s)
        }
        return true
    }
}

struct ScrittoreBinario {
    /// Where full 64 KiB chunks go; nil: everything stays in `buffer` (one entity's bytes).
    let emetti: (([UInt8]) -> Void)?
    var buffer: [UInt8]

    init(emetti: @escaping ([UInt8]) -> Void) {
        self.emetti = emetti
        buffer = []
        buffer.reserveCapacity(1 << 16)
    }

    init(buffer: [UInt8] = []) {
        emetti = nil
        self.buffer = buffer
    }

    /// Zigzag LEB128: small magnitudes (lengths, years, most amounts) take one to five bytes.
    mutating func intero(_ v: Int64) {
        var z = UInt64(bitPattern: (v << 1) ^ (v >> 63))
        while z >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: z) | 0x80)
            z >>= 7
        }
        buffer.append(UInt8(z))
        if buffer.count >= 1 << 16, emetti != nil { svuota() }
    }
    mutating func testo(_ s: String) {
        intero(Int64(s.utf8.count))
        buffer.append(contentsOf: s.utf8)
    }
    mutating func opzionale(_ s: String?) {
        if let s { testo(s) } else { intero(-1) }
    }
    mutating func data(_ d: DataContabile) { intero(Int64(d.anno * 10_000 + d.mese * 100 + d.giorno)) }
    mutating func svuota() {
        emetti?(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
    mutating func chiudi() { if !buffer.isEmpty { svuota() } }
}

/// Reads a snapshot's bytes; any inconsistency throws, and the snapshot is ignored.
struct LettoreBinario: LettoreCampi {
    let byte: [UInt8]
    var i = 0
    var fine: Bool { i == byte.count }

    static let rotto = CampoIllegibile(motivo: "istantanea danneggiata")

    mutating func intero() throws(CampoIllegibile) -> Int64 {
        var z: UInt64 = 0
        var spostamento: UInt64 = 0
        while i < byte.count, spostamento < 64 {
            let b = byte[i]
            i += 1
            z |= UInt64(b & 0x7F) << spostamento
            if b < 0x80 { return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1))) }
            spostamento += 7
        }
        throw Self.rotto
    }
    /// Strings are not re-validated: the snapshot's digest was checked before decoding, and the encoder
    /// wrote only valid UTF-8; any repair would change the state and so its digest.
    mutating func testo() throws(CampoIllegibile) -> String {
        let n = try intero()
        guard n >= 0, n <= byte.count - i else { throw Self.rotto }
        defer { i += Int(n) }
        return String(decoding: byte[i..<(i + Int(n))], as: UTF8.self)
    }
    mutating func opzionale() throws(CampoIllegibile) -> String? {
        let salvato = i
        if try intero() == -1 { return nil }
        i = salvato
        return try testo()
    }
    mutating func data() throws(CampoIllegibile) -> DataContabile {
        let v = try intero()
        guard v >= 0 else { throw Self.rotto }
        let a = Int(v / 10_000), m = Int(v / 100 % 100), g = Int(v % 100)
        guard DataContabile.valida(anno: a, mese: m, giorno: g) else { throw Self.rotto }
        return DataContabile(anno: a, mese: m, giorno: g)
    }
}
