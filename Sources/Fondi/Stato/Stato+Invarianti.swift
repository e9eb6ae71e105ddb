extension Stato {
    /// The conservation identities of DOMAIN §3 and the cross-entity sums, checked over the whole state.
    /// Returns one Italian sentence per violation; empty means sound. Meaningful on a full state only.
    /// - Complexity: O(entities).
    public func violazioniInvarianti() -> [String] {
        var v: [String] = []
        var vincolato: [String: Int64] = [:]
        var perLinea: [LineaChiave: (impegnato: Int64, liquidato: Int64, pagato: Int64)] = [:]
        for l in linee.values {
            vincolato[l.chiave.fonte, default: 0] += peso(l)
            if !(l.programmato >= l.impegnato && l.impegnato >= l.liquidato && l.liquidato >= l.pagato && l.pagato >= 0) {
                v.append("linea \(l.chiave): somme incoerenti")
            }
            if fonti[l.chiave.fonte] == nil { v.append("linea \(l.chiave): fonte inesistente") }
            if servizi[l.chiave.servizio] == nil { v.append("linea \(l.chiave): servizio inesistente") }
        }
        for f in fonti.values.sorted(by: { $0.codice < $1.codice }) {
            let atteso = vincolato[f.codice] ?? 0
            if f.vincolato != atteso || f.libero < 0 {
                v.append("fonte \(f.codice): assegnato \(f.assegnato) ≠ libero \(f.libero) + programmato aperto e impegnato chiuso \(atteso)")
            }
        }
        // A replay that let go of settled entities (ADR 0009) cannot sum them again: its entity-level sums
        // are checked against the stored projections through the state digest instead.
        if archiviaSaldati { return v }
        var perImpegno: [String: (liquidato: Int64, pagato: Int64)] = [:]
        for l in liquidazioni.values {
            perImpegno[l.impegno, default: (0, 0)].liquidato += l.importo - l.annullato
            perImpegno[l.impegno, default: (0, 0)].pagato += l.pagato
            if l.daPagare < 0 { v.append("liquidazione \(l.numero): pagato oltre il liquidato") }
        }
        var perLiquidazione: [String: Int64] = [:]
        for m in mandati.values { perLiquidazione[m.liquidazione, default: 0] += m.importo }
        for l in liquidazioni.values where (perLiquidazione[l.numero] ?? 0) != l.pagato {
            v.append("liquidazione \(l.numero): pagato \(l.pagato) ≠ somma dei mandati \(perLiquidazione[l.numero] ?? 0)")
        }
        for i in impegni.values {
            let s = perImpegno[i.numero] ?? (0, 0)
            if s.liquidato != i.liquidato || s.pagato != i.pagato {
                v.append("impegno \(i.numero): liquidato/pagato non corrispondono alle liquidazioni")
            }
            let eliminato = eliminazioni[i.numero]?.reduce(0) { $0 + $1.importo } ?? 0
            if eliminato != i.eliminato { v.append("impegno \(i.numero): eliminato non corrisponde alle eliminazioni") }
            if i.daLiquidare < 0 || i.pagato > i.liquidato { v.append("impegno \(i.numero): somme incoerenti") }
            perLinea[i.linea, default: (0, 0, 0)].impegnato += i.impegnato
            perLinea[i.linea, default: (0, 0, 0)].liquidato += i.liquidato
            perLinea[i.linea, default: (0, 0, 0)].pagato += i.pagato
        }
        for l in linee.values {
            let s = perLinea[l.chiave] ?? (0, 0, 0)
            if s.impegnato != l.impegnato || s.liquidato != l.liquidato || s.pagato != l.pagato {
                v.append("linea \(l.chiave): somme degli impegni non corrispondono")
            }
        }
        return v
    }
}
