import Crypto
import Fondi

/// The state digest (ADR 0009): per table, the number of entities and the sum modulo 2^512 of their 512-bit
/// fingerprints; the digest is the SHA-256 of those sums in table order. Order-independent, so a replay can
/// fingerprint a settled entity and forget it, and the stored tables can be fingerprinted by a plain scan.
enum Impronta {
    static let intestazione = Array("fondi-stato-4".utf8)

    /// Adds the 512-bit fingerprint of `byte` through `aggiungi`: h = SHA-256(byte), then h ‖ SHA-256(h).
    /// 512 bits so that summing many fingerprints stays far from generalized-birthday collisions; built
    /// from SHA-256 because this machine computes it in hardware (SHA-512 in software cost 3× as much).
    static func impronta(_ byte: UnsafeRawBufferPointer, _ aggiungi: (UnsafeRawBufferPointer) -> Void) {
        let h = SHA256.hash(data: byte)
        let h2 = h.withUnsafeBytes { SHA256.hash(data: $0) }
        withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { b in
            h.withUnsafeBytes { b.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: 32) }
            h2.withUnsafeBytes { (b.baseAddress! + 32).copyMemory(from: $0.baseAddress!, byteCount: 32) }
            aggiungi(UnsafeRawBufferPointer(b))
        }
    }

    /// Fingerprints the settled entities waiting in `stato` (a replay calls it after each event).
    static func archivia(_ stato: inout Stato) {
        if !stato.saldati.isEmpty { stato.archivia(impronta: impronta) }
    }

    /// Per table: the archived fingerprints plus those of the resident entities.
    static func tabelle(_ stato: Stato) -> [ImprontaTabella] {
        var stato = stato
        archivia(&stato)
        var t = stato.archiviati
        stato.perOgniEntita { tabella, byte in impronta(byte) { t[tabella.rawValue].aggiungi($0) } }
        return t
    }

    /// SHA-256 over the table sums.
    static func digest(_ tabelle: [ImprontaTabella]) -> [UInt8] {
        var h = SHA256()
        h.update(data: intestazione)
        for (n, t) in tabelle.enumerated() {
            if n >= TabellaStato.sempreNelDigest {
                // A table of a later release: absent while empty (so older ledgers keep their digest), tagged when present.
                if t.conteggio == 0 { continue }
                withUnsafeBytes(of: Int64(n).littleEndian) { h.update(bufferPointer: $0) }
            }
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
    /// equal. Streams every table once, encoding straight from the column bytes as the entity's description
    /// says; memory does not grow with the number of rows.
    func impronteMemorizzate() throws(ErroreArchivio) -> [ImprontaTabella] {
        var t = [ImprontaTabella](repeating: ImprontaTabella(), count: TabellaStato.allCases.count)
        var w = ScrittoreCanonico()
        func scorri<E: EntitaDescritta>(_: E.Type) throws(ErroreArchivio) {
            let tipi = E.campi.map(\.tipo)
            let s = try connessione.istruzione(E.sql.selezione)
            s.reset()
            defer { s.reset() }
            while try s.passo() {
                w.ricomincia()
                for (c, tipo) in tipi.enumerated() {
                    switch tipo {
                    case .intero: w.intero(s.intero(c))
                    case .testo: w.testo(s.grezzo(c))
                    // An optional date (an esercizio's closing day) is kept and encoded as its text.
                    case .opzionale, .dataOpzionale: w.opzionale(s.nullo(c) ? nil : s.grezzo(c))
                    case .data:
                        guard w.data(s.grezzo(c)) else {
                            throw ErroreArchivio(codice: 11, messaggio: "il file del registro è danneggiato: data non valida in \(E.tabella)", dettaglio: "data")
                        }
                    }
                }
                w.conByte { Impronta.impronta($0) { t[E.tabella.rawValue].aggiungi($0) } }
            }
        }
        for tabella in TabellaStato.allCases { try scorri(tabella.tipo) }
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
