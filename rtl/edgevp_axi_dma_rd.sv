// edgevp: AXI4 read DMA engine of the CIM RTL twin (rtl/cim_digital.sv).
//
// One transfer (len bytes at addr) at a time. The transfer is cut into chunks of B = max(cfg_burst, 4)
// bytes (chunk k = [addr + kB, min(addr + (k+1)B, addr + len)), as the TLM job::transfer does); a
// chunk becomes INCR bursts of 8-byte beats, address aligned down to 8, split at 2 KB boundaries.
// Up to MAXOUT bursts are outstanding. Responses come back in order (one ID), so the receive side
// re-runs the same chunking with its own cursor: a beat carries the bytes [cur, min(chunk end,
// beat base + 8)). They leave on beat_* shifted down to lane 0 (beat_n bytes valid).
// An error response (any beat) ends the transfer with err (err_addr = its chunk's first byte);
// nothing more is issued and what is outstanding is drained (accepted, discarded). cancel does the
// same without reporting. cmd_ready (= idle) only once nothing is outstanding.
module edgevp_axi_dma_rd #(
  parameter int unsigned MAXOUT = 8
) (
  input  logic        clk,
  input  logic        rst_n,
  input  logic [12:0] cfg_burst,
  input  logic        cmd_valid,
  output logic        cmd_ready,
  input  logic [31:0] cmd_addr,
  input  logic [31:0] cmd_len,
  input  logic        cancel,
  output logic        beat_valid,
  output logic [63:0] beat_data,
  output logic [3:0]  beat_n,
  output logic        done,
  output logic        err,
  output logic [31:0] err_addr,
  output logic        idle,
  output logic [3:0]  m_arid,
  output logic [31:0] m_araddr,
  output logic [7:0]  m_arlen,
  output logic [2:0]  m_arsize,
  output logic [1:0]  m_arburst,
  output logic        m_arvalid,
  input  logic        m_arready,
  input  logic [63:0] m_rdata,
  input  logic [1:0]  m_rresp,
  input  logic        m_rlast,
  input  logic        m_rvalid,
  output logic        m_rready
);
  localparam int unsigned CW = $clog2(MAXOUT + 1);

  logic [32:0] bsize;     // B
  logic        iss;       // bursts left to issue
  logic [32:0] i_cur;     // next byte to request
  logic [32:0] i_cend;    // end of the chunk being requested
  logic        r_act;     // bytes left to receive
  logic [32:0] r_cur;     // next byte to receive
  logic [32:0] r_cend;    // end of the chunk being received
  logic [31:0] r_cstart;  // its first byte
  logic [32:0] x_end;     // end of the transfer
  logic [CW-1:0] outst;   // bursts loaded into AR and not yet fully received

  // The next burst: [i_cur, i_bend).
  logic [32:0] i_b2k;
  logic [32:0] i_bend;
  logic [29:0] i_lastw;   // its last beat (address / 8)
  assign i_b2k  = {i_cur[32:11] + 22'd1, 11'd0};
  assign i_bend = (i_cend < i_b2k) ? i_cend : i_b2k;
  assign i_lastw = 30'((i_bend - 33'd1) >> 3);

  // The beat being received.
  logic [32:0] r_bend;
  logic [32:0] r_b8;
  assign r_b8    = {r_cur[32:3], 3'd0} + 33'd8;
  assign r_bend  = (r_cend < r_b8) ? r_cend : r_b8;

  assign bsize = (cfg_burst < 13'd4) ? 33'd4 : {20'd0, cfg_burst};
  assign idle = !iss && !r_act && (outst == '0) && !m_arvalid;
  assign cmd_ready = idle;
  assign m_arid = 4'd0;
  assign m_arsize = 3'd3;
  assign m_arburst = 2'b01;
  assign m_rready = 1'b1;

  always_ff @(posedge clk) begin
    logic [CW-1:0] o;
    logic [32:0] e;
    if (!rst_n) begin
      iss <= 1'b0;
      r_act <= 1'b0;
      i_cur <= '0;
      i_cend <= '0;
      r_cur <= '0;
      r_cend <= '0;
      r_cstart <= '0;
      x_end <= '0;
      outst <= '0;
      m_arvalid <= 1'b0;
      m_araddr <= '0;
      m_arlen <= '0;
      beat_valid <= 1'b0;
      beat_data <= '0;
      beat_n <= '0;
      done <= 1'b0;
      err <= 1'b0;
      err_addr <= '0;
    end else begin
      beat_valid <= 1'b0;
      done <= 1'b0;
      err <= 1'b0;
      o = outst;
      if (m_arvalid && m_arready) m_arvalid <= 1'b0;
      // receive
      if (m_rvalid) begin
        if (m_rlast) o = o - CW'(1);
        if (r_act && !cancel) begin
          e = r_bend;
          if (m_rresp != 2'b00) begin
            err <= 1'b1;
            err_addr <= r_cstart;
            r_act <= 1'b0;
            iss <= 1'b0;
          end else begin
            beat_valid <= 1'b1;
            beat_data <= m_rdata >> {r_cur[2:0], 3'd0};
            beat_n <= 4'(e - r_cur);
            r_cur <= e;
            if (e == r_cend) begin
              if (e == x_end) begin
                r_act <= 1'b0;
                done <= 1'b1;
              end else begin
                r_cstart <= e[31:0];
                r_cend <= (e + bsize < x_end) ? e + bsize : x_end;
              end
            end
          end
        end
      end
      // issue
      if (cancel) begin
        iss <= 1'b0;
        r_act <= 1'b0;
      end else if (iss && (!m_arvalid || m_arready) && (o < CW'(MAXOUT)) &&
                   !(m_rvalid && r_act && m_rresp != 2'b00)) begin
        m_arvalid <= 1'b1;
        m_araddr <= {i_cur[31:3], 3'd0};
        m_arlen <= 8'(i_lastw - i_cur[32:3]);
        o = o + CW'(1);
        i_cur <= i_bend;
        if (i_bend == i_cend) begin
          if (i_bend == x_end) iss <= 1'b0;
          else i_cend <= (i_bend + bsize < x_end) ? i_bend + bsize : x_end;
        end
      end
      // a new transfer
      if (cmd_valid && cmd_ready && !cancel) begin
        if (cmd_len == 32'd0) begin
          done <= 1'b1;
        end else begin
          iss <= 1'b1;
          r_act <= 1'b1;
          i_cur <= {1'b0, cmd_addr};
          r_cur <= {1'b0, cmd_addr};
          r_cstart <= cmd_addr;
          x_end <= {1'b0, cmd_addr} + {1'b0, cmd_len};
          i_cend <= ({1'b0, cmd_addr} + bsize < {1'b0, cmd_addr} + {1'b0, cmd_len}) ?
                    {1'b0, cmd_addr} + bsize : {1'b0, cmd_addr} + {1'b0, cmd_len};
          r_cend <= ({1'b0, cmd_addr} + bsize < {1'b0, cmd_addr} + {1'b0, cmd_len}) ?
                    {1'b0, cmd_addr} + bsize : {1'b0, cmd_addr} + {1'b0, cmd_len};
        end
      end
      outst <= o;
    end
  end
  logic unused_ok;  // a burst's first beat is i_cur aligned down: its low bits matter only there
  assign unused_ok = &{1'b0, i_cur[2:0]};
endmodule
