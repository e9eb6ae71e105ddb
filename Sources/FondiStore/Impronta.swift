import Crypto
import Fondi

/// The state digest (ADR 0009): per table, the number of entities and the sum modulo 2^512 of their SHA-512
/// fingerprints; the digest is the SHA-256 of those sums in table order. Order-independent, so a replay can
/// fingerprint a settled entity and forget it, and the stored tables can be fingerprinted by a plain scan.
enum Impronta {
    static let intestazione = Array("fondi-stato-3".utf8)

    /// Adds the SHA-512 fingerprint of `byte` through `aggiungi`.
    static func sha512(_ byte: UnsafeRawBufferPointer, _ aggiungi: (UnsafeRawBufferPointer) -> Void) {
        SHA512.hash(data: byte).withUnsafeBytes(aggiungi)
    }

    /// Fingerprints the settled entities waiting in `stato` (a replay calls it after each event).
    static func archivia(_ stato: inout Stato) {
        if !stato.saldati.isEmpty { stato.archivia(impronta: sha512) }
    }

    /// Per table: the archived fingerprints plus those of the resident entities.
    static func tabelle(_ stato: Stato) -> [ImprontaTabella] {
        var stato = stato
        archivia(&stato)
        var t = stato.archiviati
        stato.perOgniEntita { tabella, byte in sha512(byte) { t[tabella.rawValue].aggiungi($0) } }
        return t
    }

    /// SHA-256 over the table sums.
    static func digest(_ tabelle: [ImprontaTabella]) -> [UInt8] {
        var h = SHA256()
        h.update(data: intestazione)
        for t in tabelle {
            withUnsafeBytes(of: t.conteggio.littleEndian) { h.update(bufferPointer: $0) }
            for parola in t.somma { withUnsafeBytes(of: parola.littleEndian) { h.update(bufferPointer: $0) } }
        }
        return Array(h.finalize())
    }
}

extension Registro {
    /// The state digest of a state, whether it kept every entity or let the settled ones go (ADR 0009).
    /// 64 hex digits.
    public static func digest(_ stato: Stato) -> String { Catena.esadecimale(digestByte(stato)) }
    static func digestByte(_ stato: Stato) -> [UInt8] { Impronta.digest(Impronta.tabelle(stato)) }

    /// Per table, the fingerprints of the stored projection rows: what a replay's `Impronta.tabelle` must
    /// equal. Streams every table once; memory does not grow with the number of rows.
    func impronteMemorizzate() throws(ErroreArchivio) -> [ImprontaTabella] {
        var t = [ImprontaTabella](repeating: ImprontaTabella(), count: TabellaStato.allCases.count)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        func aggiungi(_ tabella: TabellaStato, _ e: EntitaStato) {
            e.byteCanonici(in: &buffer)
            buffer.withUnsafeBytes { Impronta.sha512($0) { t[tabella.rawValue].aggiungi($0) } }
        }
        func scorri(_ sql: String, _ corpo: (Istruzione) throws(ErroreArchivio) -> Void) throws(ErroreArchivio) {
            let s = try connessione.istruzione(sql)
            s.reset()
            defer { s.reset() }
            while try s.passo() { try corpo(s) }
        }
        try scorri("SELECT \(Self.colonneFonte) FROM fonte") { s in aggiungi(.fonte, .fonte(Self.fonte(s))) }
        try scorri("SELECT codice, descrizione FROM servizio") { s in
            aggiungi(.servizio, .servizio(Servizio(codice: s.testo(0), descrizione: s.testo(1))))
        }
        try scorri("SELECT anno, chiuso_il FROM esercizio") { s throws(ErroreArchivio) in aggiungi(.esercizio, .esercizio(try Self.esercizio(s))) }
        try scorri("SELECT \(Self.colonneLinea) FROM linea") { s in aggiungi(.linea, .linea(Self.linea(s))) }
        try scorri("SELECT \(Self.colonneImpegno) FROM impegno") { s throws(ErroreArchivio) in aggiungi(.impegno, .impegno(try Self.impegno(s))) }
        try scorri("SELECT \(Self.colonneLiquidazione) FROM liquidazione") { s throws(ErroreArchivio) in
            aggiungi(.liquidazione, .liquidazione(try Self.liquidazione(s)))
        }
        try scorri("SELECT \(Self.colonneMandato) FROM mandato") { s throws(ErroreArchivio) in aggiungi(.mandato, .mandato(try Self.mandato(s))) }
        try scorri("SELECT \(Self.colonneEliminazione) FROM eliminazione") { s throws(ErroreArchivio) in
            aggiungi(.eliminazione, .eliminazione(try Self.eliminazione(s)))
        }
        return t
    }

    /// Where the stored projections differ from a replayed state. Compares the per-table fingerprints first
    /// (streaming, bounded memory); only when they differ does it load the stored tables, and replay again
    /// keeping every entity when `ricostruisciCompleto` is given, to name the entities (at most 20).
    func differenzeDaMemorizzato(_ stato: Stato, ricostruisciCompleto: () throws -> Stato) throws -> [String] {
        let attese = Impronta.tabelle(stato)
        let trovate = try impronteMemorizzate()
        let diverse = TabellaStato.allCases.filter { attese[$0.rawValue] != trovate[$0.rawValue] }
        if diverse.isEmpty { return [] }
        let completo = stato.archiviaSaldati ? try ricostruisciCompleto() : stato
        let nominate = Self.differenze(atteso: completo, trovato: try statoMemorizzatoInterno())
        if !nominate.isEmpty { return nominate }
        // Same entities, different fingerprints: cannot happen unless the fingerprints themselves are wrong.
        return diverse.map { t in
            "tabella \(t): \(trovate[t.rawValue].conteggio) righe nelle proiezioni, \(attese[t.rawValue].conteggio) dagli eventi, impronte diverse"
        }
    }
}
