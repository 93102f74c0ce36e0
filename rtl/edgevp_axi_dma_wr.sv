// edgevp: AXI4 write DMA engine of the CIM RTL twin (rtl/cim_digital.sv).
//
// One transfer (len bytes at addr) at a time, chunked and split into bursts exactly as the read
// engine (edgevp_axi_dma_rd.sv): chunks of B = max(cfg_burst, 4) bytes, INCR bursts of 8-byte beats
// aligned down to 8, never crossing a 2 KB boundary. Per burst: AW, then its W beats; WSTRB covers
// the chunk's bytes only. The data come from the owner's buffer: src_off is the offset (from the
// transfer's first byte) of the beat's first byte, src_data its 8 bytes from there (byte 0 = lowest).
// xfer_done pulses once the last W beat is accepted; the B responses may still be outstanding (up to
// MAXOUT bursts; idle once all are back). An error response fails with err (err_addr = the burst's
// chunk's first byte); afterwards no AW is issued, the W beats of AWs already issued go out with
// WSTRB 0, and the B responses are drained. cancel does the same without reporting.
module edgevp_axi_dma_wr #(
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
  output logic [15:0] src_off,
  input  logic [63:0] src_data,
  output logic        xfer_done,
  output logic        err,
  output logic [31:0] err_addr,
  output logic        idle,
  output logic [3:0]  m_awid,
  output logic [31:0] m_awaddr,
  output logic [7:0]  m_awlen,
  output logic [2:0]  m_awsize,
  output logic [1:0]  m_awburst,
  output logic        m_awvalid,
  input  logic        m_awready,
  output logic [63:0] m_wdata,
  output logic [7:0]  m_wstrb,
  output logic        m_wlast,
  output logic        m_wvalid,
  input  logic        m_wready,
  input  logic [1:0]  m_bresp,
  input  logic        m_bvalid,
  output logic        m_bready
);
  localparam int unsigned CW = $clog2(MAXOUT + 1);
  localparam int unsigned FW = $clog2(MAXOUT);

  logic [32:0] bsize;
  logic        act;       // a transfer (or, once stopped, the current burst's W beats) to send
  logic        wph;       // 0: AW of the next burst, 1: its W beats
  logic        stopped;   // error or cancel: nothing new, W beats with WSTRB 0
  logic        quiet;     // canceled: no error reported
  logic [32:0] cur;       // next byte to write
  logic [32:0] cend;      // end of its chunk
  logic [31:0] cstart;    // first byte of its chunk
  logic [32:0] bend;      // end of the burst in the W phase
  logic [32:0] x_end;
  logic [31:0] x_start;
  logic [CW-1:0] outst;   // bursts whose B has not arrived
  logic [31:0] fifo [MAXOUT];  // chunk start of each outstanding burst, in order
  logic [FW-1:0] f_rd;
  logic [FW-1:0] f_wr;
  logic        aw_hold;   // AWVALID was high without AWREADY

  // Next burst (AW phase).
  logic [32:0] b2k;
  logic [32:0] nbend;
  logic [29:0] nblastw;
  assign b2k    = {cur[32:11] + 22'd1, 11'd0};
  assign nbend  = (cend < b2k) ? cend : b2k;
  assign nblastw = 30'((nbend - 33'd1) >> 3);
  // Beat (W phase): bytes [cur, wend).
  logic [32:0] b8;
  logic [32:0] wend;
  logic [3:0]  lo;
  logic [3:0]  hi;
  assign b8   = {cur[32:3], 3'd0} + 33'd8;
  assign wend = (bend < b8) ? bend : b8;
  assign lo   = {1'b0, cur[2:0]};
  assign hi   = 4'(wend - {cur[32:3], 3'd0});

  assign bsize = (cfg_burst < 13'd4) ? 33'd4 : {20'd0, cfg_burst};
  assign idle = !act && (outst == '0);
  assign cmd_ready = !act && (!stopped || outst == '0);
  assign m_awid = 4'd0;
  assign m_awsize = 3'd3;
  assign m_awburst = 2'b01;
  // Once presented, AWVALID stays until accepted (AXI), even if the transfer stops meanwhile.
  assign m_awvalid = act && !wph && (aw_hold || (!stopped && (outst < CW'(MAXOUT))));
  assign m_awaddr = {cur[31:3], 3'd0};
  assign m_awlen = 8'(nblastw - cur[32:3]);
  assign m_wvalid = act && wph;
  assign m_wlast = (wend == bend);
  assign m_wdata = src_data << {cur[2:0], 3'd0};
  assign src_off = 16'(cur - {1'b0, x_start});
  assign m_bready = 1'b1;
  always_comb begin
    for (int unsigned i = 0; i < 8; i++)
      m_wstrb[i] = !stopped && (4'(i) >= lo) && (4'(i) < hi);
  end

  always_ff @(posedge clk) begin
    logic [CW-1:0] o;
    if (!rst_n) begin
      act <= 1'b0;
      wph <= 1'b0;
      aw_hold <= 1'b0;
      stopped <= 1'b0;
      quiet <= 1'b0;
      cur <= '0;
      cend <= '0;
      cstart <= '0;
      bend <= '0;
      x_end <= '0;
      x_start <= '0;
      outst <= '0;
      f_rd <= '0;
      f_wr <= '0;
      xfer_done <= 1'b0;
      err <= 1'b0;
      err_addr <= '0;
    end else begin
      xfer_done <= 1'b0;
      err <= 1'b0;
      o = outst;
      if (m_bvalid) begin
        o = o - CW'(1);
        f_rd <= f_rd + FW'(1);
        if (m_bresp != 2'b00 && !stopped && !quiet && !cancel) begin
          err <= 1'b1;
          err_addr <= fifo[f_rd];
          stopped <= 1'b1;
        end
      end
      if (cancel) begin
        stopped <= 1'b1;
        quiet <= 1'b1;
      end
      aw_hold <= m_awvalid && !m_awready;
      if (act && !wph) begin
        if (m_awvalid && m_awready) begin
          fifo[f_wr] <= cstart;
          f_wr <= f_wr + FW'(1);
          o = o + CW'(1);
          bend <= nbend;
          wph <= 1'b1;
        end else if (!m_awvalid && (stopped || cancel)) begin
          act <= 1'b0;
        end
      end else if (act && wph && m_wready) begin
        cur <= wend;
        if (wend == cend && wend != x_end) begin
          cstart <= wend[31:0];
          cend <= (wend + bsize < x_end) ? wend + bsize : x_end;
        end
        if (wend == bend) begin
          wph <= 1'b0;
          if (wend == x_end || stopped || cancel) begin
            act <= 1'b0;
            xfer_done <= !stopped && !cancel;
          end
        end
      end
      if (cmd_valid && cmd_ready && !cancel) begin
        stopped <= 1'b0;
        quiet <= 1'b0;
        if (cmd_len == 32'd0) begin
          xfer_done <= 1'b1;
        end else begin
          act <= 1'b1;
          wph <= 1'b0;
          cur <= {1'b0, cmd_addr};
          cstart <= cmd_addr;
          x_start <= cmd_addr;
          x_end <= {1'b0, cmd_addr} + {1'b0, cmd_len};
          cend <= ({1'b0, cmd_addr} + bsize < {1'b0, cmd_addr} + {1'b0, cmd_len}) ?
                  {1'b0, cmd_addr} + bsize : {1'b0, cmd_addr} + {1'b0, cmd_len};
        end
      end
      outst <= o;
    end
  end
endmodule
