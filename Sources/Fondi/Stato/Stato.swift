/// A reference to one projected entity, used to track what a command changed.
package enum RiferimentoEntita: Hashable, Sendable {
    case fonte(String)
    case servizio(String)
    case linea(LineaChiave)
    case impegno(String)
    case liquidazione(String)
    case mandato(String)
    case esercizio(Int)
    case eliminazione(impegno: String, seq: Int64)
    case prenotazione(String)
    case accertamento(String)
    case riscossione(String)
    case riduzioneAccertamento(accertamento: String, seq: Int64)
    case scadenza(String)
    case rendicontazione(String)
}

/// The projection state: every entity and balance of DOMAIN §3, folded from events.
///
/// The same type serves a full replay (every entity) and a command's working set, where the store has
/// loaded only the entities that the command touches (ADR 0004). *Decide* (`decidi`, may refuse) and
/// *apply* (`applica`, never refuses: it traps on a broken invariant) are kept apart.
public struct Stato: Equatable, Sendable {
    public internal(set) var fonti: [String: Fonte] = [:]
    public internal(set) var servizi: [String: Servizio] = [:]
    public internal(set) var linee: [LineaChiave: Linea] = [:]
    public internal(set) var impegni: [String: Impegno] = [:]
    public internal(set) var liquidazioni: [String: Liquidazione] = [:]
    public internal(set) var mandati: [String: Mandato] = [:]
    public internal(set) var esercizi: [Int: Esercizio] = [:]
    /// Eliminazioni di residuo by impegno, with their dates (rare: riaccertamento).
    public internal(set) var eliminazioni: [String: [Eliminazione]] = [:]
    public internal(set) var prenotazioni: [String: Prenotazione] = [:]
    public internal(set) var accertamenti: [String: Accertamento] = [:]
    public internal(set) var riscossioni: [String: Riscossione] = [:]
    /// Riduzioni of accertamenti by accertamento, with their dates (DOMAIN §5).
    public internal(set) var riduzioniAccertamento: [String: [RiduzioneAccertamento]] = [:]
    /// DOMAIN §10: scadenze by numero (revoked ones included: their numero stays used), rendicontazioni by numero.
    public internal(set) var scadenze: [String: Scadenza] = [:]
    public internal(set) var rendicontazioni: [String: Rendicontazione] = [:]

    /// The working set of `rendiconta` and `scadenza fissa` (never stored, not part of equality): the
    /// `fondi prospetto --al` row of every fonte registered by an event dated up to `giorno`, computed by the
    /// store from the `--al` view of that day (ADR 0016).
    package var prospettoAl: (giorno: DataContabile, righe: [String: RigaRendicontazione])?

    /// When true, `applica` records every entity it changes in `modificati` (the store writes those back).
    package var tracciaModifiche = false
    package internal(set) var modificati: Set<RiferimentoEntita> = []
    /// When true, `applica` folds sums without checking invariants and creates what is missing: for `--al`
    /// views, which keep only events dated up to a day and so may show states no rule was checked against
    /// (DOMAIN §4.12), e.g. an impegno dated before the programmazione that covers it.
    package var tollerante = false
    /// The first invariant broken by the event being applied (see `applicaControllando`).
    var violazione: String?

    /// When true, `applica` lets go of every entity that no event can change any more (ADR 0009): a mandato
    /// or an eliminazione as soon as it exists, a liquidazione once paid or annulled in full, an impegno once
    /// nothing is left to liquidate or pay. Their canonical bytes wait in `saldati` for the store to add their
    /// fingerprints to `archiviati`. A replay's memory then follows the open entities, not the history.
    /// Reports need no settled entity: residui list only impegni with something to pay.
    package var archiviaSaldati = false
    /// Per table (`TabellaStato` order), the fingerprints of the entities let go of so far.
    package internal(set) var archiviati = [ImprontaTabella](repeating: ImprontaTabella(), count: TabellaStato.allCases.count)
    /// Settled entities let go of by the last events, not yet fingerprinted (see `archivia`).
    package internal(set) var saldati = SaldatiInAttesa()

    public init() {}

    /// Builds a state from loaded entities (the store's working set).
    public init(fonti: [Fonte] = [], servizi: [Servizio] = [], linee: [Linea] = [], impegni: [Impegno] = [],
                liquidazioni: [Liquidazione] = [], mandati: [Mandato] = [], esercizi: [Esercizio] = [],
                eliminazioni: [Eliminazione] = [], prenotazioni: [Prenotazione] = [], accertamenti: [Accertamento] = [],
                riscossioni: [Riscossione] = [], riduzioniAccertamento: [RiduzioneAccertamento] = []) {
        for p in prenotazioni { self.prenotazioni[p.numero] = p }
        for a in accertamenti { self.accertamenti[a.numero] = a }
        for r in riscossioni { self.riscossioni[r.reversale] = r }
        for r in riduzioniAccertamento { self.riduzioniAccertamento[r.accertamento, default: []].append(r) }
        for f in fonti { self.fonti[f.codice] = f }
        for s in servizi { self.servizi[s.codice] = s }
        for l in linee { self.linee[l.chiave] = l }
        for i in impegni { self.impegni[i.numero] = i }
        for l in liquidazioni { self.liquidazioni[l.numero] = l }
        for m in mandati { self.mandati[m.numero] = m }
        for e in esercizi { self.esercizi[e.anno] = e }
        for e in eliminazioni { self.eliminazioni[e.impegno, default: []].append(e) }
    }

    public static func == (l: Stato, r: Stato) -> Bool {
        l.fonti == r.fonti && l.servizi == r.servizi && l.linee == r.linee && l.impegni == r.impegni
            && l.liquidazioni == r.liquidazioni && l.mandati == r.mandati && l.esercizi == r.esercizi && l.eliminazioni == r.eliminazioni
            && l.prenotazioni == r.prenotazioni && l.accertamenti == r.accertamenti && l.riscossioni == r.riscossioni
            && l.riduzioniAccertamento == r.riduzioniAccertamento && l.scadenze == r.scadenze && l.rendicontazioni == r.rendicontazioni
            && l.archiviati == r.archiviati
    }

    /// Moves the waiting settled entities into `archiviati`, `impronta` giving each one's 64-byte (512-bit) fingerprint.
    package mutating func archivia(impronta: (UnsafeRawBufferPointer, (UnsafeRawBufferPointer) -> Void) -> Void) {
        var inizio = 0
        saldati.byte.withUnsafeBytes { tutti in
            for (tabella, fine) in saldati.voci {
                impronta(UnsafeRawBufferPointer(rebasing: tutti[inizio..<fine])) { archiviati[tabella.rawValue].aggiungi($0) }
                inizio = fine
            }
        }
        saldati.svuota()
    }

    // MARK: Loading (the store's working set)

    package mutating func inserisci(_ f: Fonte) { fonti[f.codice] = f }
    package mutating func inserisci(_ s: Servizio) { servizi[s.codice] = s }
    package mutating func inserisci(_ l: Linea) { linee[l.chiave] = l }
    package mutating func inserisci(_ i: Impegno) { impegni[i.numero] = i }
    package mutating func inserisci(_ l: Liquidazione) { liquidazioni[l.numero] = l }
    package mutating func inserisci(_ m: Mandato) { mandati[m.numero] = m }
    package mutating func inserisci(_ e: Esercizio) { esercizi[e.anno] = e }
    package mutating func inserisci(_ e: Eliminazione) { eliminazioni[e.impegno, default: []].append(e) }
    package mutating func inserisci(_ p: Prenotazione) { prenotazioni[p.numero] = p }
    package mutating func inserisci(_ a: Accertamento) { accertamenti[a.numero] = a }
    package mutating func inserisci(_ r: Riscossione) { riscossioni[r.reversale] = r }
    package mutating func inserisci(_ r: RiduzioneAccertamento) { riduzioniAccertamento[r.accertamento, default: []].append(r) }

    // MARK: Derived balances

    public func chiuso(_ esercizio: Int) -> Bool { esercizi[esercizio]?.chiuso ?? false }

    /// The last closed esercizio, if any: nothing dated on or before its 31/12 is accepted (DOMAIN §4.7).
    public var ultimoChiuso: Int? { esercizi.values.filter(\.chiuso).map(\.anno).max() }

    /// The earliest open esercizio: the smallest one not closed that has a linea or an accertamento (DOMAIN
    /// §9.4), the one whose riaccertamento is under way. Needs every esercizio in the state.
    public var primoAperto: Int? { esercizi.values.filter { !$0.chiuso }.map(\.anno).min() }

    /// `prenotato(L)`: Σ da impegnare of its prenotazioni while open, 0 once closed (DOMAIN §9.1).
    public func prenotato(_ l: Linea) -> Int64 { chiuso(l.chiave.esercizio) ? 0 : l.prenotazioni }
    /// `disponibile(L)`: programmato − impegnato − prenotato while open, 0 once closed.
    public func disponibile(_ l: Linea) -> Int64 { chiuso(l.chiave.esercizio) ? 0 : l.programmato - l.impegnato - l.prenotazioni }
    /// `economie(L)`: programmato − impegnato once closed, 0 while open.
    public func economie(_ l: Linea) -> Int64 { chiuso(l.chiave.esercizio) ? l.programmato - l.impegnato : 0 }
    /// What a linea weighs on its fonte's `vincolato`.
    func peso(_ l: Linea) -> Int64 { chiuso(l.chiave.esercizio) ? l.impegnato : l.programmato }
}
