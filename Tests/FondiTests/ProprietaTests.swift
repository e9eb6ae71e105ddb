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
            for per in [Raggruppamento.linea, .fonte, .servizio, .esercizio] {
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

    /// Every `ResiduoRiportato` equals the impegno's `da_pagare` in the accounting view at 31/12/N, and every
    /// impegno of esercizio ≤ N still to be paid at that date has exactly one.
    @Test func residuiRiportatiUgualiAlleProiezioniAl31Dicembre() async {
        await propertyCheck(count: 100, input: Self.storie) { valori in
            let (r, _) = Self.esegui(valori)
            for (indice, e) in r.eventi.enumerated() {
                guard case let .esercizioChiuso(anno, _, residuiTotali, _) = e.evento else { continue }
                var riportati: [String: Int64] = [:]
                var k = indice - 1
                while k >= 0, r.eventi[k].seq == e.seq - Int64(indice - k), r.eventi[k].data == e.data {
                    if case let .residuoRiportato(impegno, provenienza, importo) = r.eventi[k].evento {
                        #expect(riportati[impegno] == nil)
                        riportati[impegno] = importo.centesimi
                        #expect(provenienza <= anno)
                    } else if case .esercizioChiuso = r.eventi[k].evento { break }
                    k -= 1
                }
                let vista = r.vista(al: DataContabile.fineEsercizio(anno), fino: indice)
                var attesi: [String: Int64] = [:]
                for i in vista.impegni.values where i.linea.esercizio <= anno && i.daPagare > 0 { attesi[i.numero] = i.daPagare }
                #expect(riportati == attesi, "chiusura \(anno)")
                #expect(riportati.values.reduce(0, +) == residuiTotali)
            }
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
        #expect(tipi.count == 16, "tipi generati: \(tipi.sorted())")
        #expect(accettati > totale / 10)
        #expect(accettati < totale)
        #expect(chiusure > 0)
    }
}

