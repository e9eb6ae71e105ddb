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

    public init(eventi: [EventoRegistrato], ripetuto: Bool) {
        self.eventi = eventi
        self.ripetuto = ripetuto
    }
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

/// What a batch did, without keeping every event: what `importa` reports, in memory bounded by nothing.
public struct RiepilogoLotto: Sendable {
    public internal(set) var passi = 0
    public internal(set) var eventi = 0
    public internal(set) var primo: EventoRegistrato?
    public internal(set) var ultimo: EventoRegistrato?
    /// True when every command (or the whole batch, by its key) had already been applied: nothing was written.
    public internal(set) var ripetuto = false
}

/// The events one command appended: counted, with the first and the last, and all of them only when the caller
/// wants them (an import does not: a closing of a large year appends hundreds of thousands).
struct Appesi {
    let conserva: Bool
    private(set) var numero = 0
    private(set) var primo: EventoRegistrato?
    private(set) var ultimo: EventoRegistrato?
    private(set) var eventi: [EventoRegistrato] = []

    init(conserva: Bool) { self.conserva = conserva }

    /// Room for `n` more events when they are kept: a closing knows how many it appends.
    mutating func riserva(_ n: Int) {
        if conserva { eventi.reserveCapacity(eventi.count + n) }
    }

    mutating func aggiungi(_ e: EventoRegistrato) {
        numero += 1
        if primo == nil { primo = e }
        ultimo = e
        if conserva { eventi.append(e) }
    }
}

extension Registro {
    /// Entities changed by a batch are written back every this many commands, and the working set starts
    /// afresh (the rows are then read back from the tables, inside the same transaction): a long import
    /// holds a bounded working set, whatever its length.
    static let passiPerScrittura = 2_048
    /// How many commands a write reads ahead of the one it applies, to load what they name in one query per
    /// table (memory: this many parsed commands).
    static let letturaAnticipata = 256

    /// Applies commands in order in one write transaction: all or nothing.
    /// - Throws: `Rifiuto` (one command) or `RifiutoRiga` (imported lines); `ErroreArchivio` from SQLite.
    public func registra(_ passi: [Passo], prova: Bool = false, chiaveComplessiva: (chiave: String, contenuto: String)? = nil) throws -> [Esito] {
        try registra(passi, prova: prova, chiaveComplessiva: chiaveComplessiva, guasto: nil)
    }

    /// `registra` with a fault hook for the package's tests: `guasto` is called after each appended event, and
    /// throwing from it aborts the transaction.
    package func registra(
        _ passi: [Passo], prova: Bool = false, chiaveComplessiva: (chiave: String, contenuto: String)? = nil,
        guasto: ((Int64) throws -> Void)?
    ) throws -> [Esito] {
        var esiti: [Esito] = []
        var i = 0
        let r = try registra(flusso: { () -> Passo? in
            defer { i += 1 }
            return i < passi.count ? passi[i] : nil
        }, prova: prova, chiaveComplessiva: chiaveComplessiva, guasto: guasto, ogniPasso: { esiti.append($0) })
        if r.ripetuto && esiti.isEmpty, let ultimo = r.ultimo, let primo = r.primo {
            // The whole batch was repeated by its key: its original events.
            var eventi: [EventoRegistrato] = []
            try leggiEventi(da: primo.seq, fino: ultimo.seq) { eventi.append($0) }
            return [Esito(eventi: eventi, ripetuto: true)]
        }
        return esiti
    }

    /// Applies commands read one at a time from `prossimo`, in one write transaction: all or nothing.
    /// Memory does not grow with the number of commands: `ogniPasso` sees each result, and the working
    /// set is written back and dropped every `passiPerScrittura` commands.
    /// - Parameters:
    ///   - prova: decide and show, then roll back: nothing is written (`--prova`), no key is used up.
    ///   - chiaveComplessiva: an idempotency key for the whole batch (`importa --chiave`) and its content.
    ///   - ogniPasso: called with the result of each command as it is applied.
    public func registra(
        flusso prossimo: () throws -> Passo?, prova: Bool = false, chiaveComplessiva: (chiave: String, contenuto: String)? = nil,
        ogniPasso: ((Esito) -> Void)? = nil
    ) throws -> RiepilogoLotto {
        try registra(flusso: prossimo, prova: prova, chiaveComplessiva: chiaveComplessiva, guasto: nil, ogniPasso: ogniPasso)
    }

    package func registra(
        flusso prossimo: () throws -> Passo?, prova: Bool, chiaveComplessiva: (chiave: String, contenuto: String)?,
        guasto: ((Int64) throws -> Void)?, ogniPasso: ((Esito) -> Void)?
    ) throws -> RiepilogoLotto {
        try connessione.iniziaScrittura()
        do {
            var riepilogo = RiepilogoLotto()
            if let (chiave, contenuto) = chiaveComplessiva, let ripetuto = try ripetizione(chiave: chiave, contenuto: contenuto, riga: nil) {
                connessione.annulla()
                return RiepilogoLotto(ripetizione: ripetuto)
            }
            var lavoro = try Lavoro(registro: self)
            var catena = try testa()
            let primoDelLotto = catena.seq + 1
            var tuttiRipetuti = true
            // One recording time per transaction: its events are recorded together, all or nothing.
            let registratoIl = orologio()
            var daScrivere = 0
            var date = try IndiceDate(registro: self)
            var anticipo = LetturaAnticipata(quanti: Self.letturaAnticipata)
            while let passo = try anticipo.prossimo(da: prossimo, precarica: { try lavoro.precarica($0) }) {
                riepilogo.passi += 1
                if let chiave = passo.contesto.chiave,
                   let ripetuto = try ripetizione(chiave: chiave.testo, contenuto: passo.comando.contenuto(passo.contesto), riga: passo.riga) {
                    ogniPasso?(ripetuto)
                    continue
                }
                tuttiRipetuti = false
                // A command that reads a `--al` view needs the date index of the events appended so far in this transaction.
                if passo.comando.giornoDellaVista(data: passo.contesto.data) != nil { try date.scrivi() }
                var appesi = Appesi(conserva: ogniPasso != nil)
                try applica(passo, lavoro: &lavoro, in: &appesi, catena: &catena, date: &date, registratoIl: registratoIl, guasto: guasto)
                riepilogo.eventi += appesi.numero
                if riepilogo.primo == nil { riepilogo.primo = appesi.primo }
                if let u = appesi.ultimo { riepilogo.ultimo = u }
                ogniPasso?(Esito(eventi: appesi.eventi, ripetuto: false))
                daScrivere += 1
                if daScrivere >= Self.passiPerScrittura {
                    try scrivi(lavoro.stato, esistenti: lavoro.esistenti)
                    try date.scrivi()
                    lavoro = try Lavoro(registro: self)
                    try lavoro.precarica(anticipo.restanti)
                    daScrivere = 0
                }
            }
            riepilogo.ripetuto = tuttiRipetuti && riepilogo.passi > 0
            if let (chiave, contenuto) = chiaveComplessiva, catena.seq >= primoDelLotto {
                try connessione.istruzione("INSERT INTO chiave_idempotenza (chiave, contenuto, primo_seq, ultimo_seq) VALUES (?, ?, ?, ?)")
                    .esegui([.testo(chiave), .testo(contenuto), .intero(primoDelLotto), .intero(catena.seq)])
            }
            if prova {
                connessione.annulla()
                return riepilogo
            }
            try scrivi(lavoro.stato, esistenti: lavoro.esistenti)
            try date.scrivi()
            try connessione.conferma()
            return riepilogo
        } catch {
            connessione.annulla()
            throw error
        }
    }

    /// Decides a command on the working set and appends its events. A closing is decided in parts
    /// (`Stato.ammetti`, `verificaChiusura`, then the plan with the impegni still to pay stepped through from the
    /// tables), and its events are appended as they are made: what `decidi` does, without holding the year.
    func applica(_ passo: Passo, lavoro: inout Lavoro, in appesi: inout Appesi, catena: inout (seq: Int64, hash: [UInt8]), date: inout IndiceDate,
                 registratoIl: String, guasto: ((Int64) throws -> Void)?) throws {
        try lavoro.carica(per: passo.comando, data: passo.contesto.data)
        if case let .chiudi(esercizio) = passo.comando {
            try decisione(passo) { () throws(Rifiuto) in
                try lavoro.stato.ammetti(passo.comando, passo.contesto)
                try lavoro.stato.verificaChiusura(esercizio, data: passo.contesto.data)
            }
            let piano = try lavoro.stato.pianoChiusura(esercizio) { (ogni: (Impegno) -> Void) throws(ErroreArchivio) in
                try lavoro.impegniDaPagare(esercizio: esercizio, ogni)
            }
            appesi.riserva(piano.numeroEventi)
            try appendi(piano.eventi(impronta: Catena.impronta), di: passo, a: &catena, lavoro: &lavoro, in: &appesi, date: &date,
                        registratoIl: registratoIl, guasto: guasto)
            return
        }
        let eventi = try decisione(passo) { () throws(Rifiuto) in try lavoro.stato.decidi(passo.comando, passo.contesto, impronta: Catena.impronta) }
        try appendi(eventi, di: passo, a: &catena, lavoro: &lavoro, in: &appesi, date: &date, registratoIl: registratoIl, guasto: guasto)
    }

    /// A refusal of an imported line names the line (DOMAIN §7).
    private func decisione<T>(_ passo: Passo, _ corpo: () throws(Rifiuto) -> T) throws -> T {
        do {
            return try corpo()
        } catch {
            if let riga = passo.riga { throw RifiutoRiga(riga: riga, messaggio: error.messaggio) }
            throw error
        }
    }

    /// Appends a command's events after the chain's head `catena`, indexes them, folds them into the working
    /// state and records the command's idempotency key; `appesi` counts them (and keeps them if asked).
    func appendi(_ eventi: some Sequence<Evento>, di passo: Passo, a catena: inout (seq: Int64, hash: [UInt8]), lavoro: inout Lavoro,
                 in appesi: inout Appesi, date: inout IndiceDate, registratoIl: String, guasto: ((Int64) throws -> Void)?) throws {
        for evento in eventi {
            let seq = catena.seq + 1
            let r = try aggiungi(evento, seq: seq, precedente: catena.hash, contesto: passo.contesto, registratoIl: registratoIl)
            try date.aggiungi(seq: seq, data: passo.contesto.data)
            try indicizzaImpegni(evento, seq: seq, liquidazioni: lavoro.stato.liquidazioni)
            date.andamento(evento, data: passo.contesto.data)
            catena = (seq, r.hash)
            appesi.aggiungi(r.evento)
            lavoro.stato.applica(evento, seq: seq, data: passo.contesto.data, atto: passo.contesto.atto?.testo)
            try guasto?(seq)
        }
        if let chiave = passo.contesto.chiave, let primo = appesi.primo, let ultimo = appesi.ultimo {
            try connessione.istruzione("INSERT INTO chiave_idempotenza (chiave, contenuto, primo_seq, ultimo_seq) VALUES (?, ?, ?, ?)")
                .esegui([.testo(chiave.testo), .testo(passo.comando.contenuto(passo.contesto)), .intero(primo.seq), .intero(ultimo.seq)])
        }
    }

    /// Appends one event row with its chain hash.
    func aggiungi(
        _ evento: Evento, seq: Int64, precedente: [UInt8], contesto: Contesto, registratoIl: String
    ) throws(ErroreArchivio) -> (evento: EventoRegistrato, hash: [UInt8]) {
        let payload = evento.payloadCanonico

        let data = contesto.data.description
        let canonico = Canonico.evento(seq: seq, tipo: evento.tipo, versione: evento.versioneScritta, data: data, registratoIl: registratoIl,
                                       utente: contesto.utente.testo, chiave: contesto.chiave?.testo, atto: contesto.atto?.testo, payload: payload)
        let hash = Catena.hash(precedente: precedente, canonico: canonico)
        try connessione.istruzione("""
            INSERT INTO evento (seq, tipo, versione, data, registrato_il, utente, chiave, atto, payload, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).esegui([.intero(seq), .testo(evento.tipo), .intero(Int64(evento.versioneScritta)), .testo(data), .testo(registratoIl),
                         .testo(contesto.utente.testo), .opzionale(contesto.chiave?.testo), .opzionale(contesto.atto?.testo),
                         .testo(String(decoding: payload, as: UTF8.self)), .blob(hash)])
        let registrato = EventoRegistrato(seq: seq, versione: evento.versioneScritta, data: contesto.data, registratoIl: registratoIl,
                                          utente: contesto.utente.testo, chiave: contesto.chiave?.testo, atto: contesto.atto?.testo, evento: evento,
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

/// Read ahead for `registra(flusso:)`: the next commands are taken from the flow in runs, and what they name by
/// key is loaded in one query per table (`Lavoro.precarica`). A failure of the flow (a bad line) is held until
/// the commands before it have been applied, so the first error is still the one reported.
struct LetturaAnticipata {
    let quanti: Int
    private var coda: [Passo] = []
    private var indice = 0
    private var erroreDifferito: (any Error)?

    init(quanti: Int) { self.quanti = quanti }

    /// The commands read ahead and not yet handed out.
    var restanti: ArraySlice<Passo> { coda[indice...] }

    mutating func prossimo(da sorgente: () throws -> Passo?, precarica: (ArraySlice<Passo>) throws -> Void) throws -> Passo? {
        if indice == coda.count {
            if let e = erroreDifferito { throw e }
            coda.removeAll(keepingCapacity: true)
            indice = 0
            while coda.count < quanti {
                do {
                    guard let p = try sorgente() else { break }
                    coda.append(p)
                } catch {
                    erroreDifferito = error
                    break
                }
            }
            if coda.isEmpty {
                if let e = erroreDifferito { throw e }
                return nil
            }
            try precarica(coda[...])
        }
        indice += 1
        return coda[indice - 1]
    }
}

extension RiepilogoLotto {
    /// A batch already recorded under the same key: nothing new, the events it recorded then.
    init(ripetizione ripetuto: Esito) {
        self.init()
        self.ripetuto = true
        eventi = ripetuto.eventi.count
        primo = ripetuto.eventi.first
        ultimo = ripetuto.eventi.last
    }
}
