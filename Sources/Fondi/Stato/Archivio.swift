/// One table's share of the state digest: how many entities it holds and the sum, modulo 2^512, of their
/// 512-bit fingerprints (a multiset hash: independent of order, so entities can be added one at a time and
/// forgotten, ADR 0009). The fingerprints are computed by the store; this type only adds them.
package struct ImprontaTabella: Equatable, Sendable {
    package private(set) var conteggio: Int64 = 0
    /// Eight 64-bit limbs, least significant first.
    package private(set) var somma: [UInt64] = Array(repeating: 0, count: 8)

    package init() {}

    package init?(conteggio: Int64, somma: [UInt64]) {
        guard conteggio >= 0, somma.count == 8 else { return nil }
        self.conteggio = conteggio
        self.somma = somma
    }

    /// Adds one entity's 64-byte (512-bit) fingerprint, read as a little-endian 512-bit integer.
    package mutating func aggiungi(_ impronta: UnsafeRawBufferPointer) {
        precondition(impronta.count == 64, "un'impronta ha 64 byte")
        var riporto: UInt64 = 0
        for k in 0..<8 {
            let parola = UInt64(littleEndian: impronta.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self))
            let (s1, o1) = somma[k].addingReportingOverflow(parola)
            let (s2, o2) = s1.addingReportingOverflow(riporto)
            somma[k] = s2
            riporto = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        conteggio += 1
    }

    /// Adds another table's share (a snapshot's archive plus the resident entities).
    package mutating func aggiungi(_ altra: ImprontaTabella) {
        var riporto: UInt64 = 0
        for k in 0..<8 {
            let (s1, o1) = somma[k].addingReportingOverflow(altra.somma[k])
            let (s2, o2) = s1.addingReportingOverflow(riporto)
            somma[k] = s2
            riporto = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        conteggio += altra.conteggio
    }
}

/// Settled entities that a replay has let go of, waiting for the store to fingerprint them: their canonical
/// bytes back to back, and where each one ends. Reused across events, so archiving allocates nothing.
package struct SaldatiInAttesa: Sendable {
    package internal(set) var byte: [UInt8] = []
    package internal(set) var voci: [(tabella: TabellaStato, fine: Int)] = []
    package var isEmpty: Bool { voci.isEmpty }

    mutating func aggiungi<E: EntitaDescritta>(_ entita: E) {
        var s = ScrittoreBinario(buffer: byte)
        byte = []
        entita.scrivi(in: &s)
        byte = s.buffer
        voci.append((E.tabella, byte.count))
    }

    package mutating func svuota() {
        byte.removeAll(keepingCapacity: true)
        voci.removeAll(keepingCapacity: true)
    }
}

/// Writes an entity's canonical bytes field by field from raw stored values (the store's fingerprint scan of
/// the projection tables, ADR 0009): the same bytes as `EntitaDescritta.scrivi` writes for the same entity,
/// without creating a String per column, fields in the order of the entity's `campi`.
package struct ScrittoreCanonico {
    var s = ScrittoreBinario()
    package init() { s.buffer.reserveCapacity(256) }
    package mutating func ricomincia() { s.buffer.removeAll(keepingCapacity: true) }
    package mutating func intero(_ v: Int64) { s.intero(v) }
    package mutating func testo(_ b: UnsafeBufferPointer<UInt8>) {
        s.intero(Int64(b.count))
        s.buffer.append(contentsOf: b)
    }
    package mutating func opzionale(_ b: UnsafeBufferPointer<UInt8>?) {
        if let b { testo(b) } else { s.intero(-1) }
    }
    /// A stored `YYYY-MM-DD`; false when it is not a valid date.
    package mutating func data(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let d = DataContabile(byte: b) else { return false }
        s.data(d)
        return true
    }
    package func conByte<R>(_ corpo: (UnsafeRawBufferPointer) -> R) -> R { s.buffer.withUnsafeBytes(corpo) }
}
