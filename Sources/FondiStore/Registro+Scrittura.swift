import Fondi

/// One command to apply, with the line it came from when it was imported.
public struct Passo: Sendable {
    public let comando: Comando
    public let contesto: Contesto
    /// The line of an `importa` file (1-based), for messages.
    public let riga: Int?

    public init(comando: Comando, contesto: Contesto, riga: Int? = nil) {
        self.comando = comando
        self.contesto = contesto
        self.riga = riga
    }
}

/// What one command did: the events it appended, or, for a repeated idempotency key, those it had appended.
public struct Esito: Sendable {
    public let eventi: [EventoRegistrato]
    /// True when the key had already been applied with the same content and nothing was written now.
    public let ripetuto: Bool
}

/// A refusal in an imported file: the line and the reason (DOMAIN §7: "a refusal names the line number").
public struct RifiutoRiga: Error, Equatable, CustomStringConvertible {
    public let riga: Int
    public let messaggio: String
    public init(riga: Int, messaggio: String) {
        self.riga = riga
        self.messaggio = messaggio
    }
    public var description: String { "riga \(riga): \(messaggio)" }
}

extension Registro {
    /// Applies commands in order in one write transaction: all or nothing.
    /// - Parameters:
    ///   - prova: decide and show, then roll back: nothing is written (`--prova`), no key is used up.
    ///   - chiaveComplessiva: an idempotency key for the whole batch (`importa --chiave`) and its content.
    ///   - guasto: test hook, called after each appended event; throwing from it aborts the transaction.
    ///   - ogniPasso: called after each command is applied (progress of an import).
    /// - Throws: `Rifiuto` (one command) or `RifiutoRiga` (imported lines); `ErroreArchivio` from SQLite.
    public func registra(
        _ passi: [Passo], prova: Bool = false, chiaveComplessiva: (chiave: String, contenuto: String)? = nil,
        guasto: ((Int64) throws -> Void)? = nil, ogniPasso: (() -> Void)? = nil
    ) throws -> [Esito] {
        try connessione.esegui("BEGIN IMMEDIATE")
        do {
            var lavoro = try Lavoro(registro: self)
            var (seq, hash) = try testa()
            var esiti: [Esito] = []
            if let (chiave, contenuto) = chiaveComplessiva, let ripetuto = try ripetizione(chiave: chiave, contenuto: contenuto, riga: nil) {
                try connessione.esegui("ROLLBACK")
                return [ripetuto]
            }
            let primoDelLotto = seq + 1
            // One recording time per transaction: its events are recorded together, all or nothing.
            let registratoIl = orologio()
            for passo in passi {
                if let chiave = passo.contesto.chiave,
                   let ripetuto = try ripetizione(chiave: chiave, contenuto: passo.comando.contenuto(passo.contesto), riga: passo.riga) {
                    esiti.append(ripetuto)
                    continue
                }
                try lavoro.carica(per: passo.comando)
                let eventi: [Evento]
                do {
                    eventi = try lavoro.stato.decidi(passo.comando, passo.contesto, impronta: Catena.impronta)
                } catch {
                    if let riga = passo.riga { throw RifiutoRiga(riga: riga, messaggio: error.messaggio) }
                    throw error
                }
                var registrati: [EventoRegistrato] = []
                for evento in eventi {
                    seq += 1
                    let r = try aggiungi(evento, seq: seq, precedente: hash, contesto: passo.contesto, registratoIl: registratoIl)
                    hash = r.hash
                    registrati.append(r.evento)
                    lavoro.stato.applica(evento, seq: seq, data: passo.contesto.data, atto: passo.contesto.atto)
                    try guasto?(seq)
                }
                if let chiave = passo.contesto.chiave, let primo = registrati.first, let ultimo = registrati.last {
                    try connessione.istruzione("INSERT INTO chiave_idempotenza (chiave, contenuto, primo_seq, ultimo_seq) VALUES (?, ?, ?, ?)")
                        .esegui([.testo(chiave), .testo(passo.comando.contenuto(passo.contesto)), .intero(primo.seq), .intero(ultimo.seq)])
                }
                esiti.append(Esito(eventi: registrati, ripetuto: false))
                ogniPasso?()
            }
            if let (chiave, contenuto) = chiaveComplessiva, seq >= primoDelLotto {
                try connessione.istruzione("INSERT INTO chiave_idempotenza (chiave, contenuto, primo_seq, ultimo_seq) VALUES (?, ?, ?, ?)")
                    .esegui([.testo(chiave), .testo(contenuto), .intero(primoDelLotto), .intero(seq)])
            }
            if prova {
                try connessione.esegui("ROLLBACK")
                return esiti
            }
            try scrivi(lavoro.stato)
            try connessione.esegui("COMMIT")
            return esiti
        } catch {
            try? connessione.esegui("ROLLBACK")
            throw error
        }
    }

    /// Appends one event row with its chain hash.
    func aggiungi(
        _ evento: Evento, seq: Int64, precedente: [UInt8], contesto: Contesto, registratoIl: String
    ) throws(ErroreArchivio) -> (evento: EventoRegistrato, hash: [UInt8]) {
        let payload = evento.payloadCanonico

        let data = contesto.data.description
        let canonico = Canonico.evento(seq: seq, tipo: evento.tipo, versione: Evento.versioneCorrente, data: data, registratoIl: registratoIl,
                                       utente: contesto.utente, chiave: contesto.chiave, atto: contesto.atto, payload: payload)
        let hash = Catena.hash(precedente: precedente, canonico: canonico)
        try connessione.istruzione("""
            INSERT INTO evento (seq, tipo, versione, data, registrato_il, utente, chiave, atto, payload, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).esegui([.intero(seq), .testo(evento.tipo), .intero(Int64(Evento.versioneCorrente)), .testo(data), .testo(registratoIl),
                         .testo(contesto.utente), .opzionale(contesto.chiave), .opzionale(contesto.atto),
                         .testo(String(decoding: payload, as: UTF8.self)), .blob(hash)])
        let registrato = EventoRegistrato(seq: seq, versione: Evento.versioneCorrente, data: contesto.data, registratoIl: registratoIl,
                                          utente: contesto.utente, chiave: contesto.chiave, atto: contesto.atto, evento: evento,
                                          hashByte: hash)
        return (registrato, hash)
    }

    /// A key already used: the original result when the content matches, a refusal otherwise (DOMAIN §4.10).
    func ripetizione(chiave: String, contenuto: String, riga: Int?) throws -> Esito? {
        let trovate = try connessione.istruzione("SELECT contenuto, primo_seq, ultimo_seq FROM chiave_idempotenza WHERE chiave = ?")
            .righe([.testo(chiave)]) { s in (s.testo(0), s.intero(1), s.intero(2)) }
        guard let (registrato, primo, ultimo) = trovate.first else { return nil }
        guard registrato == contenuto else {
            let messaggio = "chiave '\(chiave)' già usata per un comando diverso: usa una chiave nuova o ripeti il comando identico"
            if let riga { throw RifiutoRiga(riga: riga, messaggio: messaggio) }
            throw Rifiuto(regola: "4.10", messaggio)
        }
        var eventi: [EventoRegistrato] = []
        try leggiEventi(da: primo, fino: ultimo) { eventi.append($0) }
        return Esito(eventi: eventi, ripetuto: true)
    }
}
