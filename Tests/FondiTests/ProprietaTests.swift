// Goal: for random histories, every accepted command keeps the conservation identities of DOMAIN §3, every
// refused one changes nothing, and replay is a pure fold: any split point, or a snapshot plus its tail,
// gives the same state as one full replay.
import Fondi
import FondiTesting
import PropertyBased
import Testing

struct ProprietaTests {
    static let storie = Gen.int(in: 0...Int.max).array(of: 20...400)

    /// Runs a random history, checking the invariants after every step; returns the ledger.
    static func esegui(_ valori: [Int]) -> (registro: RegistroInMemoria, accettati: Int) {
        var r = RegistroInMemoria()
        var accettati = 0
        for (passo, v) in valori.enumerated() {
            let (c, d) = GeneratoreComandi.comando(v, passo: passo)
            let prima = r.stato
            do {
                try r.esegui(c, data: d, atto: "Atto \(passo)")
                accettati += 1
                let violazioni = r.stato.violazioniInvarianti()
                #expect(violazioni.isEmpty, "dopo \(c): \(violazioni)")
                if case .impegnoReimputa = c {
                    // The FPV moves money from year to year: no fonte's libero moves (DOMAIN §9.2).
                    #expect(r.stato.fonti.mapValues(\.libero) == prima.fonti.mapValues(\.libero), "reimputazione: \(c)")
                }
            } catch {
                #expect(r.stato == prima, "rifiutato ma modificato: \(c)")
                #expect(!error.messaggio.isEmpty)
            }
        }
        return (r, accettati)
    }

    @Test func conservazioneAOgniPasso() async {
        await propertyCheck(count: 200, input: Self.storie) { valori in
            _ = Self.esegui(valori)
        }
    }

    /// A snapshot at any cut, taken the way the store takes it (settled entities let go of and fingerprinted,
    /// the state encoded and decoded), plus the tail, equals a full replay; and the let-go state answers the
    /// reports exactly as the full state the rules were checked against.
    @Test func replayInQualsiasiDivisione() async {
        await propertyCheck(count: 150, input: Self.storie, Gen.int(in: 0...1_000)) { valori, taglio in
            let (r, _) = Self.esegui(valori)
            let k = r.eventi.isEmpty ? 0 : taglio % (r.eventi.count + 1)
            #expect(r.replay() == r.stato)
            var vuoto = Stato()
            vuoto.archiviaSaldati = true
            var completo = r.replay(su: vuoto)
            completo.archivia(impronta: Self.improntaDiProva)
            var base = r.replay(su: vuoto, fino: k)
            base.archivia(impronta: Self.improntaDiProva)
            guard let decodificata = Stato(codificato: base.codificato) else {
                Issue.record("istantanea non decodificabile al taglio \(k)")
                return
            }
            var coda = r.replay(da: k, su: decodificata)
            coda.archivia(impronta: Self.improntaDiProva)
            #expect(coda == completo)
            for per in Raggruppamento.allCases {
                #expect(coda.saldi(per: per, filtri: Filtri()) == r.stato.saldi(per: per, filtri: Filtri()))
            }
            #expect(coda.residui(filtri: Filtri()) == r.stato.residui(filtri: Filtri()))
        }
    }

    /// A stand-in for the store's 512-bit fingerprint (the domain tests have no crypto): eight FNV-1a lanes.
    static func improntaDiProva(_ byte: UnsafeRawBufferPointer, _ consegna: (UnsafeRawBufferPointer) -> Void) {
        var out = [UInt64](repeating: 0, count: 8)
        for lane in 0..<8 {
            var h: UInt64 = 14_695_981_039_346_656_037 &+ UInt64(lane) &* 0x9E37_79B9_7F4A_7C15
            for b in byte { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
            out[lane] = h
        }
        out.withUnsafeBytes(consegna)
    }

    /// Every closing records, to the cent, what an independent fold of the events gives at 31/12/N after the
    /// riaccertamento (DOMAIN §5, §9): one `ResiduoRiportato` per impegno of esercizio ≤ N still to pay, one
    /// `PrenotazioneDecaduta` per prenotazione of N not committed, one `ResiduoAttivoRiportato` per accertamento
    /// still to collect, and the totals, FPV included.
    @Test func chiusureUgualiAlModelloIndipendente() async {
        await propertyCheck(count: 100, input: Self.storie) { valori in
            let (r, _) = Self.esegui(valori)
            for (indice, e) in r.eventi.enumerated() {
                guard case let .esercizioChiuso(anno, totali, _) = e.evento else { continue }
                var registrati: [String: Int64] = [:]
                var k = indice - 1
                while k >= 0, r.eventi[k].data == e.data {
                    switch r.eventi[k].evento {
                    case let .residuoRiportato(i, provenienza, importo):
                        #expect(provenienza <= anno)
                        registrati["R " + i] = importo.centesimi
                    case let .prenotazioneDecaduta(p, importo): registrati["P " + p] = importo.centesimi
                    case let .residuoAttivoRiportato(a, _, importo): registrati["A " + a] = importo.centesimi
                    case .economiaRilevata: break
                    default: k = 0
                    }
                    k -= 1
                }
                let m = ModelloIndipendente(r.eventi[0..<indice].map { ($0.data, $0.evento) })
                let attesi = m.chiusura(anno)
                #expect(registrati == attesi.voci, "chiusura \(anno)")
                #expect(totali.residuiPassivi == attesi.voci.filter { $0.key.hasPrefix("R ") }.values.reduce(0, +))
                #expect(totali.residuiAttivi == attesi.voci.filter { $0.key.hasPrefix("A ") }.values.reduce(0, +))
                #expect(totali.prenotazioniDecadute == attesi.voci.filter { $0.key.hasPrefix("P ") }.values.reduce(0, +))
                #expect(totali.fpv == attesi.fpv)
            }
        }
    }

    /// The per-fonte report (every column of DOMAIN §9.4) equals an independent fold of the events, and
    /// Σ over fonti of (riscosso − pagato) equals Σ cassa.
    @Test func saldiPerFonteUgualiAlModelloIndipendente() async {
        await propertyCheck(count: 150, input: Self.storie) { valori in
            let (r, _) = Self.esegui(valori)
            let m = ModelloIndipendente(r.eventi.map { ($0.data, $0.evento) })
            let t = r.stato.saldi(per: .fonte, filtri: Filtri())
            var sommaCassa: Int64 = 0
            for riga in t.righe {
                guard case let .testo(fonte) = riga[0] else { continue }
                var trovato: [String: Int64] = [:]
                for (c, v) in zip(t.colonne, riga) { if case let .importo(x) = v { trovato[c] = x } }
                let atteso = m.rigaFonte(fonte)
                for (c, v) in atteso { #expect(trovato[c] == v, "fonte \(fonte), colonna \(c)") }
                sommaCassa += trovato["cassa"] ?? 0
            }
            let riscosso = r.stato.fonti.values.reduce(Int64(0)) { $0 + $1.riscosso }
            let pagato = r.stato.linee.values.reduce(Int64(0)) { $0 + $1.pagato }
            #expect(sommaCassa == riscosso - pagato)
        }
    }

    @Test func leStorieGenerateToccanoOgniEvento() {
        // The generator must produce accepted and refused commands of every kind, closings included;
        // otherwise the properties above would pass vacuously.
        var tipi: Set<String> = []
        var chiusure = 0, accettati = 0, totale = 0
        for seme in 0..<40 {
            var x = UInt64(seme) &* 6_364_136_223_846_793_005 &+ 1
            let valori = (0..<400).map { _ in x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return Int(x >> 2) }
            let (r, a) = Self.esegui(valori)
            accettati += a
            totale += valori.count
            chiusure += r.eventi.filter { if case .esercizioChiuso = $0.evento { true } else { false } }.count
            for e in r.eventi { tipi.insert(e.evento.tipo) }
        }
        #expect(tipi.count == TipoEvento.allCases.count, "tipi generati: \(tipi.sorted())")
        #expect(accettati > totale / 10)
        #expect(accettati < totale)
        #expect(chiusure > 0)
    }
}

/// A second, deliberately naive model of DOMAIN §3, §5 and §9: plain sums over the list of accepted events,
/// sharing no code with `Stato`, so the properties compare two independent computations.
struct ModelloIndipendente {
    let eventi: [(data: DataContabile, evento: Evento)]
    init(_ eventi: [(DataContabile, Evento)]) { self.eventi = eventi.map { (data: $0.0, evento: $0.1) } }

    /// The closing of N as an independent fold of the events recorded before it: keys `R impegno`,
    /// `P prenotazione`, `A accertamento` with their amounts, and the FPV of N.
    func chiusura(_ n: Int) -> (voci: [String: Int64], fpv: Int64) {
        let fine = DataContabile.fineEsercizio(n)
        var esercizioImpegno: [String: Int] = [:], daPagare: [String: Int64] = [:], impegnoDi: [String: String] = [:]
        var prenotazione: [String: (esercizio: Int, resto: Int64)] = [:]
        var accertamento: [String: (esercizio: Int, resto: Int64)] = [:]
        var fpv: Int64 = 0
        for (data, e) in eventi {
            switch e {
            case let .impegnoAssunto(i, l, x, _, _, _, _, p):
                esercizioImpegno[i] = l.esercizio; daPagare[i] = x.centesimi
                if let p { prenotazione[p]!.resto -= x.centesimi }
            case let .impegnoRidotto(i, x, _), let .residuoEliminato(i, x, _): daPagare[i]! -= x.centesimi
            case let .impegnoReimputato(i, x, m, j):
                daPagare[i]! -= x.centesimi
                if esercizioImpegno[i] == n { fpv += x.centesimi }
                esercizioImpegno[j] = m; daPagare[j] = x.centesimi
            case let .liquidazioneDisposta(l, i, _, _): impegnoDi[l] = i
            case let .pagamentoEmesso(_, l, x): if data <= fine { daPagare[impegnoDi[l]!]! -= x.centesimi }
            case let .prenotazioneAssunta(p, l, x, _): prenotazione[p] = (l.esercizio, x.centesimi)
            case let .prenotazioneRidotta(p, x, _): prenotazione[p]!.resto -= x.centesimi
            case let .accertamentoRegistrato(a, _, es, x, _): accertamento[a] = (es, x.centesimi)
            case let .accertamentoRidotto(a, x, _), let .riscossioneRegistrata(_, a, x, _): if data <= fine { accertamento[a]!.resto -= x.centesimi }
            default: break
            }
        }
        var voci: [String: Int64] = [:]
        for (i, x) in daPagare where x > 0 && esercizioImpegno[i]! <= n { voci["R " + i] = x }
        for (p, v) in prenotazione where v.resto > 0 && v.esercizio == n { voci["P " + p] = v.resto }
        for (a, v) in accertamento where v.resto > 0 && v.esercizio <= n { voci["A " + a] = v.resto }
        return (voci, fpv)
    }

    /// The amounts of a fonte's `saldi --per fonte` row, from the events alone.
    func rigaFonte(_ fonte: String) -> [String: Int64] {
        var assegnato: Int64 = 0, chiusi: Set<Int> = []
        var programmato: [LineaChiave: Int64] = [:], impegnato: [LineaChiave: Int64] = [:], pagato: [LineaChiave: Int64] = [:]
        var fpvE: [LineaChiave: Int64] = [:], fpvS: [LineaChiave: Int64] = [:], prenotato: [LineaChiave: Int64] = [:]
        var lineaImpegno: [String: LineaChiave] = [:], lineaPrenotazione: [String: LineaChiave] = [:], impegnoDi: [String: String] = [:]
        var impegnatoDi: [String: Int64] = [:], pagatoDi: [String: Int64] = [:]
        var accertato: Int64 = 0, riscosso: Int64 = 0
        var accertamenti: [String: (esercizio: Int, resto: Int64)] = [:]
        for (_, e) in eventi {
            switch e {
            case let .fonteRegistrata(c, _, _, _, x, _) where c == fonte: assegnato += x.centesimi
            case let .fonteIntegrata(c, x) where c == fonte: assegnato += x.centesimi
            case let .fonteRidotta(c, x) where c == fonte: assegnato -= x.centesimi
            case let .programmazioneDisposta(l, x) where l.fonte == fonte: programmato[l, default: 0] += x.centesimi
            case let .programmazioneRidotta(l, x) where l.fonte == fonte: programmato[l, default: 0] -= x.centesimi
            case let .programmazioneSpostata(f, es, da, a, x) where f == fonte:
                programmato[LineaChiave(fonte: f, servizio: da, esercizio: es), default: 0] -= x.centesimi
                programmato[LineaChiave(fonte: f, servizio: a, esercizio: es), default: 0] += x.centesimi
            case let .impegnoAssunto(i, l, x, _, _, _, _, p):
                lineaImpegno[i] = l; impegnatoDi[i] = x.centesimi
                impegnato[l, default: 0] += x.centesimi
                if let p { prenotato[lineaPrenotazione[p]!, default: 0] -= x.centesimi }
            case let .impegnoRidotto(i, x, _), let .residuoEliminato(i, x, _):
                impegnato[lineaImpegno[i]!, default: 0] -= x.centesimi; impegnatoDi[i]! -= x.centesimi
            case let .impegnoReimputato(i, x, m, j):
                let da = lineaImpegno[i]!, a = LineaChiave(fonte: da.fonte, servizio: da.servizio, esercizio: m)
                impegnato[da, default: 0] -= x.centesimi; programmato[da, default: 0] -= x.centesimi; fpvS[da, default: 0] += x.centesimi
                impegnato[a, default: 0] += x.centesimi; programmato[a, default: 0] += x.centesimi; fpvE[a, default: 0] += x.centesimi
                impegnatoDi[i]! -= x.centesimi; lineaImpegno[j] = a; impegnatoDi[j] = x.centesimi
            case let .liquidazioneDisposta(l, i, _, _): impegnoDi[l] = i
            case let .pagamentoEmesso(_, l, x):
                let i = impegnoDi[l]!
                pagato[lineaImpegno[i]!, default: 0] += x.centesimi; pagatoDi[i, default: 0] += x.centesimi
            case let .prenotazioneAssunta(p, l, x, _): lineaPrenotazione[p] = l; prenotato[l, default: 0] += x.centesimi
            case let .prenotazioneRidotta(p, x, _): prenotato[lineaPrenotazione[p]!, default: 0] -= x.centesimi
            case let .accertamentoRegistrato(a, f, es, x, _) where f == fonte:
                accertato += x.centesimi; accertamenti[a] = (es, x.centesimi)
            case let .accertamentoRidotto(a, x, _) where accertamenti[a] != nil: accertato -= x.centesimi; accertamenti[a]!.resto -= x.centesimi
            case let .riscossioneRegistrata(_, a, x, _) where accertamenti[a] != nil: riscosso += x.centesimi; accertamenti[a]!.resto -= x.centesimi
            case let .esercizioChiuso(n, _, _): chiusi.insert(n)
            default: break
            }
        }
        let linee = Set(programmato.keys).union(impegnato.keys).filter { $0.fonte == fonte }
        var vincolato: Int64 = 0
        for l in linee { vincolato += chiusi.contains(l.esercizio) ? impegnato[l, default: 0] : programmato[l, default: 0] }
        var residuiPassivi: Int64 = 0
        for (i, l) in lineaImpegno where l.fonte == fonte && chiusi.contains(l.esercizio) { residuiPassivi += impegnatoDi[i]! - pagatoDi[i, default: 0] }
        let pagatoFonte = linee.reduce(Int64(0)) { $0 + pagato[$1, default: 0] }
        return [
            "assegnato": assegnato, "libero": assegnato - vincolato, "residui_passivi": residuiPassivi,
            "programmato": linee.reduce(0) { $0 + programmato[$1, default: 0] }, "impegnato": linee.reduce(0) { $0 + impegnato[$1, default: 0] },
            "pagato": pagatoFonte,
            "prenotato": linee.filter { !chiusi.contains($0.esercizio) }.reduce(0) { $0 + prenotato[$1, default: 0] },
            "fpv_entrata": linee.reduce(0) { $0 + fpvE[$1, default: 0] }, "fpv_spesa": linee.reduce(0) { $0 + fpvS[$1, default: 0] },
            "accertato": accertato, "riscosso": riscosso, "da_riscuotere": accertato - riscosso,
            "residui_attivi": accertamenti.values.filter { chiusi.contains($0.esercizio) }.reduce(0) { $0 + $1.resto },
            "cassa": riscosso - pagatoFonte,
        ]
    }
}
