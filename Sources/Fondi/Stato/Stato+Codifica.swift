/// The canonical binary encoding of a `Stato`: every resident entity in key order, then the archived tables'
/// multiset fingerprints (ADR 0009); integers as zigzag LEB128 varints, strings length-prefixed UTF-8, an absent
/// optional as length −1. Snapshots store it. Each entity's own bytes (`scrivi(_:in:)`) are also what its
/// 512-bit fingerprint is computed over, for the state digest.
extension Stato {
    /// Bumped when the layout changes; a snapshot of another version is ignored (rebuilt from events).
    package static let versioneCodifica: Int64 = 4

    // MARK: One entity

    static func scrivi(_ f: Fonte, in s: inout ScrittoreBinario) {
        s.testo(f.codice); s.testo(f.tipo); s.intero(Int64(f.annualita)); s.intero(f.vincolata ? 1 : 0)
        s.opzionale(f.descrizione); s.opzionale(f.atto); s.intero(f.assegnato); s.intero(f.vincolato)
        s.intero(f.accertato); s.intero(f.riscosso)
    }
    static func scrivi(_ v: Servizio, in s: inout ScrittoreBinario) { s.testo(v.codice); s.testo(v.descrizione) }
    static func scrivi(_ e: Esercizio, in s: inout ScrittoreBinario) { s.intero(Int64(e.anno)); s.opzionale(e.chiusoIl?.description) }
    static func scrivi(_ l: Linea, in s: inout ScrittoreBinario) {
        s.testo(l.chiave.fonte); s.testo(l.chiave.servizio); s.intero(Int64(l.chiave.esercizio))
        s.intero(l.programmato); s.intero(l.impegnato); s.intero(l.liquidato); s.intero(l.pagato)
        s.intero(l.prenotazioni); s.intero(l.fpvEntrata); s.intero(l.fpvSpesa)
    }
    static func scrivi(_ i: Impegno, in s: inout ScrittoreBinario) {
        s.testo(i.numero); s.testo(i.linea.fonte); s.testo(i.linea.servizio); s.intero(Int64(i.linea.esercizio))
        s.data(i.data); s.testo(i.creditore); s.testo(i.oggetto)
        s.intero(i.assunto); s.intero(i.ridotto); s.intero(i.eliminato); s.intero(i.liquidato); s.intero(i.pagato)
        s.intero(i.reimputato); s.opzionale(i.prenotazione); s.opzionale(i.origine); s.opzionale(i.cig); s.opzionale(i.cup)
    }
    static func scrivi(_ l: Liquidazione, in s: inout ScrittoreBinario) {
        s.testo(l.numero); s.testo(l.impegno); s.data(l.data); s.intero(l.importo); s.intero(l.annullato); s.intero(l.pagato)
    }
    static func scrivi(_ m: Mandato, in s: inout ScrittoreBinario) {
        s.testo(m.numero); s.testo(m.liquidazione); s.data(m.data); s.intero(m.importo)
    }
    static func scrivi(_ e: Eliminazione, in s: inout ScrittoreBinario) {
        s.intero(e.seq); s.testo(e.impegno); s.data(e.data); s.intero(e.importo)
    }
    static func scrivi(_ p: Prenotazione, in s: inout ScrittoreBinario) {
        s.testo(p.numero); s.testo(p.linea.fonte); s.testo(p.linea.servizio); s.intero(Int64(p.linea.esercizio))
        s.data(p.data); s.testo(p.oggetto); s.intero(p.importo); s.intero(p.ridotto); s.intero(p.impegnato)
    }
    static func scrivi(_ a: Accertamento, in s: inout ScrittoreBinario) {
        s.testo(a.numero); s.testo(a.fonte); s.intero(Int64(a.esercizio)); s.data(a.data); s.testo(a.debitore)
        s.intero(a.importo); s.intero(a.ridotto); s.intero(a.riscosso)
    }
    static func scrivi(_ r: Riscossione, in s: inout ScrittoreBinario) {
        s.testo(r.reversale); s.testo(r.accertamento); s.data(r.data); s.intero(r.importo)
    }
    static func scrivi(_ r: RiduzioneAccertamento, in s: inout ScrittoreBinario) {
        s.intero(r.seq); s.testo(r.accertamento); s.data(r.data); s.intero(r.importo)
    }

    /// Calls `corpo` with the canonical bytes of every resident entity, table by table (ADR 0009): the
    /// store fingerprints them for the state digest. Order within a table does not matter to the digest.
    package func perOgniEntita(_ corpo: (TabellaStato, UnsafeRawBufferPointer) -> Void) {
        var s = ScrittoreBinario()
        func emetti(_ t: TabellaStato, _ scrivi: (inout ScrittoreBinario) -> Void) {
            s.buffer.removeAll(keepingCapacity: true)
            scrivi(&s)
            s.buffer.withUnsafeBytes { corpo(t, $0) }
        }
        for f in fonti.values { emetti(.fonte) { Self.scrivi(f, in: &$0) } }
        for v in servizi.values { emetti(.servizio) { Self.scrivi(v, in: &$0) } }
        for e in esercizi.values { emetti(.esercizio) { Self.scrivi(e, in: &$0) } }
        for l in linee.values { emetti(.linea) { Self.scrivi(l, in: &$0) } }
        for i in impegni.values { emetti(.impegno) { Self.scrivi(i, in: &$0) } }
        for l in liquidazioni.values { emetti(.liquidazione) { Self.scrivi(l, in: &$0) } }
        for m in mandati.values { emetti(.mandato) { Self.scrivi(m, in: &$0) } }
        for lista in eliminazioni.values { for e in lista { emetti(.eliminazione) { Self.scrivi(e, in: &$0) } } }
        for p in prenotazioni.values { emetti(.prenotazione) { Self.scrivi(p, in: &$0) } }
        for a in accertamenti.values { emetti(.accertamento) { Self.scrivi(a, in: &$0) } }
        for r in riscossioni.values { emetti(.riscossione) { Self.scrivi(r, in: &$0) } }
        for lista in riduzioniAccertamento.values { for r in lista { emetti(.riduzioneAccertamento) { Self.scrivi(r, in: &$0) } } }
    }

    // MARK: The whole state

    /// Streams the encoding in chunks of about 64 KiB.
    /// - Complexity: O(n log n) in the number of resident entities (the keys are sorted).
    package func codifica(_ emetti: @escaping ([UInt8]) -> Void) {
        var s = ScrittoreBinario(emetti: emetti)
        s.intero(Self.versioneCodifica)
        s.intero(Int64(fonti.count))
        for k in fonti.keys.sorted() { Self.scrivi(fonti[k]!, in: &s) }
        s.intero(Int64(servizi.count))
        for k in servizi.keys.sorted() { Self.scrivi(servizi[k]!, in: &s) }
        s.intero(Int64(esercizi.count))
        for k in esercizi.keys.sorted() { Self.scrivi(esercizi[k]!, in: &s) }
        s.intero(Int64(linee.count))
        for k in linee.keys.sorted() { Self.scrivi(linee[k]!, in: &s) }
        s.intero(Int64(impegni.count))
        for k in impegni.keys.sorted() { Self.scrivi(impegni[k]!, in: &s) }
        s.intero(Int64(liquidazioni.count))
        for k in liquidazioni.keys.sorted() { Self.scrivi(liquidazioni[k]!, in: &s) }
        s.intero(Int64(mandati.count))
        for k in mandati.keys.sorted() { Self.scrivi(mandati[k]!, in: &s) }
        let tutte = eliminazioni.values.flatMap { $0 }.sorted { $0.seq < $1.seq }
        s.intero(Int64(tutte.count))
        for e in tutte { Self.scrivi(e, in: &s) }
        s.intero(Int64(prenotazioni.count))
        for k in prenotazioni.keys.sorted() { Self.scrivi(prenotazioni[k]!, in: &s) }
        s.intero(Int64(accertamenti.count))
        for k in accertamenti.keys.sorted() { Self.scrivi(accertamenti[k]!, in: &s) }
        s.intero(Int64(riscossioni.count))
        for k in riscossioni.keys.sorted() { Self.scrivi(riscossioni[k]!, in: &s) }
        let riduzioni = riduzioniAccertamento.values.flatMap { $0 }.sorted { $0.seq < $1.seq }
        s.intero(Int64(riduzioni.count))
        for r in riduzioni { Self.scrivi(r, in: &s) }
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
        guard let versione = l.intero(), versione == Self.versioneCodifica else { return nil }
        var s = Stato()
        guard Self.elenco(&l, Self.leggiFonte, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiServizio, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiEsercizio, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiLinea, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiImpegno, riserva: { s.impegni.reserveCapacity($0) }, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiLiquidazione, riserva: { s.liquidazioni.reserveCapacity($0) }, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiMandato, riserva: { s.mandati.reserveCapacity($0) }, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiEliminazione, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiPrenotazione, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiAccertamento, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiRiscossione, { s.inserisci($0) }),
              Self.elenco(&l, Self.leggiRiduzioneAccertamento, { s.inserisci($0) }) else { return nil }
        guard let archivia = l.intero(), archivia == 0 || archivia == 1 else { return nil }
        s.archiviaSaldati = archivia == 1
        for t in TabellaStato.allCases {
            guard let n = l.intero() else { return nil }
            var somma: [UInt64] = []
            for _ in 0..<8 {
                guard let p = l.intero() else { return nil }
                somma.append(UInt64(bitPattern: p))
            }
            guard let a = ImprontaTabella(conteggio: n, somma: somma) else { return nil }
            s.archiviati[t.rawValue] = a
        }
        guard l.fine else { return nil }
        self = s
    }

    /// A count, then as many entities read by `una`; false on any inconsistency.
    static func elenco<T>(_ l: inout LettoreBinario, _ una: (inout LettoreBinario) -> T?, riserva: (Int) -> Void = { _ in }, _ metti: (T) -> Void) -> Bool {
        guard let n = l.intero(), n >= 0, n < 1 << 40 else { return false }
        riserva(Int(n))
        for _ in 0..<n {
            guard let x = una(&l) else { return false }
            metti(x)
        }
        return true
    }

    static func leggiFonte(_ l: inout LettoreBinario) -> Fonte? {
        guard let c = l.testo(), let t = l.testo(), let a = l.intero(), let v = l.intero(), let d = l.opzionale(), let at = l.opzionale(),
              let ass = l.intero(), let vin = l.intero(), let acc = l.intero(), let ris = l.intero() else { return nil }
        return Fonte(codice: c, tipo: t, annualita: Int(a), vincolata: v == 1, descrizione: d, atto: at, assegnato: ass, vincolato: vin,
            accertato: acc, riscosso: ris)
    }

    static func leggiServizio(_ l: inout LettoreBinario) -> Servizio? {
        guard let c = l.testo(), let d = l.testo() else { return nil }
        return Servizio(codice: c, descrizione: d)
    }

    static func leggiEsercizio(_ l: inout LettoreBinario) -> Esercizio? {
        guard let a = l.intero(), let c = l.opzionale() else { return nil }
        var chiuso: DataContabile?
        if let c { guard let d = DataContabile(testo: c) else { return nil }; chiuso = d }
        return Esercizio(anno: Int(a), chiusoIl: chiuso)
    }

    static func leggiLinea(_ l: inout LettoreBinario) -> Linea? {
        guard let f = l.testo(), let sv = l.testo(), let e = l.intero(), let p = l.intero(), let i = l.intero(), let q = l.intero(),
              let g = l.intero(), let pr = l.intero(), let fe = l.intero(), let fs = l.intero() else { return nil }
        return Linea(chiave: LineaChiave(fonte: f, servizio: sv, esercizio: Int(e)), programmato: p, impegnato: i, liquidato: q, pagato: g,
            prenotazioni: pr, fpvEntrata: fe, fpvSpesa: fs)
    }

    static func leggiImpegno(_ l: inout LettoreBinario) -> Impegno? {
        guard let n = l.testo(), let f = l.testo(), let sv = l.testo(), let e = l.intero(), let d = l.data(), let cr = l.testo(),
              let o = l.testo(), let a = l.intero(), let r = l.intero(), let el = l.intero(), let q = l.intero(), let g = l.intero(),
              let ri = l.intero(), let pn = l.opzionale(), let og = l.opzionale(), let cg = l.opzionale(), let cp = l.opzionale()
        else { return nil }
        return Impegno(numero: n, linea: LineaChiave(fonte: f, servizio: sv, esercizio: Int(e)), data: d, creditore: cr, oggetto: o,
            assunto: a, ridotto: r, eliminato: el, liquidato: q, pagato: g, reimputato: ri, prenotazione: pn, origine: og,
            cig: cg, cup: cp)
    }

    static func leggiLiquidazione(_ l: inout LettoreBinario) -> Liquidazione? {
        guard let n = l.testo(), let i = l.testo(), let d = l.data(), let im = l.intero(), let an = l.intero(), let pg = l.intero() else { return nil }
        return Liquidazione(numero: n, impegno: i, data: d, importo: im, annullato: an, pagato: pg)
    }

    static func leggiMandato(_ l: inout LettoreBinario) -> Mandato? {
        guard let n = l.testo(), let q = l.testo(), let d = l.data(), let im = l.intero() else { return nil }
        return Mandato(numero: n, liquidazione: q, data: d, importo: im)
    }

    static func leggiEliminazione(_ l: inout LettoreBinario) -> Eliminazione? {
        guard let sq = l.intero(), let i = l.testo(), let d = l.data(), let im = l.intero() else { return nil }
        return Eliminazione(seq: sq, impegno: i, data: d, importo: im)
    }

    static func leggiPrenotazione(_ l: inout LettoreBinario) -> Prenotazione? {
        guard let n = l.testo(), let f = l.testo(), let sv = l.testo(), let e = l.intero(), let d = l.data(), let o = l.testo(),
              let im = l.intero(), let r = l.intero(), let ip = l.intero() else { return nil }
        return Prenotazione(numero: n, linea: LineaChiave(fonte: f, servizio: sv, esercizio: Int(e)), data: d, oggetto: o,
            importo: im, ridotto: r, impegnato: ip)
    }

    static func leggiAccertamento(_ l: inout LettoreBinario) -> Accertamento? {
        guard let n = l.testo(), let f = l.testo(), let e = l.intero(), let d = l.data(), let db = l.testo(), let im = l.intero(),
              let r = l.intero(), let ri = l.intero() else { return nil }
        return Accertamento(numero: n, fonte: f, esercizio: Int(e), data: d, debitore: db, importo: im, ridotto: r, riscosso: ri)
    }

    static func leggiRiscossione(_ l: inout LettoreBinario) -> Riscossione? {
        guard let n = l.testo(), let a = l.testo(), let d = l.data(), let im = l.intero() else { return nil }
        return Riscossione(reversale: n, accertamento: a, data: d, importo: im)
    }

    static func leggiRiduzioneAccertamento(_ l: inout LettoreBinario) -> RiduzioneAccertamento? {
        guard let sq = l.intero(), let a = l.testo(), let d = l.data(), let im = l.intero() else { return nil }
        return RiduzioneAccertamento(seq: sq, accertamento: a, data: d, importo: im)
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

struct LettoreBinario {
    let byte: [UInt8]
    var i = 0
    var fine: Bool { i == byte.count }

    mutating func intero() -> Int64? {
        var z: UInt64 = 0
        var spostamento: UInt64 = 0
        while i < byte.count, spostamento < 64 {
            let b = byte[i]
            i += 1
            z |= UInt64(b & 0x7F) << spostamento
            if b < 0x80 { return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1))) }
            spostamento += 7
        }
        return nil
    }
    /// Strings are not re-validated: the snapshot's digest was checked before decoding, and the encoder
    /// wrote only valid UTF-8; any repair would change the state and so its digest.
    mutating func testo() -> String? {
        guard let n = intero(), n >= 0, i + Int(n) <= byte.count else { return nil }
        defer { i += Int(n) }
        return String(decoding: byte[i..<(i + Int(n))], as: UTF8.self)
    }
    mutating func opzionale() -> String?? {
        let salvato = i
        guard let n = intero() else { return nil }
        if n == -1 { return .some(nil) }
        i = salvato
        guard let t = testo() else { return nil }
        return .some(t)
    }
    mutating func data() -> DataContabile? {
        guard let v = intero(), v >= 0 else { return nil }
        let a = Int(v / 10_000), m = Int(v / 100 % 100), g = Int(v % 100)
        guard DataContabile.valida(anno: a, mese: m, giorno: g) else { return nil }
        return DataContabile(anno: a, mese: m, giorno: g)
    }
}
