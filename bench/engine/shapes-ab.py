"""Before/after on the chain, fan-out and 10,000 sequential echo> shapes, alternating run by run.

Usage: python3 bench/engine/shapes-ab.py RUNS before=/path/bo-bench after=/path/bo-bench
Each run in a fresh copy; make -j2 in the same loop on the sh> shapes; the echo> folders (on DISK_DIR,
default the system temp folder, and on /dev/shm) are deleted only after the last run, so no run creates
its files over inodes freed seconds before; the builds take turns at going first. Prints medians of wall and CPU (user+sys, os.wait4).
"""
import os, subprocess, sys, shutil, tempfile, resource, time, statistics
runs=int(sys.argv[1]); builds=[a.split('=',1) for a in sys.argv[2:]]
disk=os.environ.get('DISK_DIR', tempfile.gettempdir())
src=tempfile.mkdtemp(prefix='ab-src-', dir=disk)
subprocess.run(['python3','/work/shared/bench/gen_dags.py',src],check=True,stdout=subprocess.DEVNULL)
seq=os.path.join(src,'seq'); os.makedirs(seq)
with open(os.path.join(seq,'seq.dig'),'w') as f:
    f.write("timezone: UTC\n")
    for i in range(10000): f.write(f"+n{i}:\n  echo>: n{i}\n")
def run(cmd, cwd):
    t0=time.time(); p=subprocess.Popen(cmd,cwd=cwd,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
    _,status,ru=os.wait4(p.pid,0); w=time.time()-t0
    assert status==0,(cmd,cwd,status)
    return w, ru.ru_utime+ru.ru_stime
res={}
later=[]
def rec(k,v): res.setdefault(k,[]).append(v)
for r in range(runs):
    # The builds take turns at going first: the first run after the sh> shapes' folders are deleted
    # pays for the file system's work on the freed inodes (measured: the same build is 0.6 s second
    # and 0.7-1.0 s first on 10,000 echo> on disk), so a fixed order favours the second build.
    order=builds[r%len(builds):]+builds[:r%len(builds)]
    for shape in ['chain','fanout']:
        d=tempfile.mkdtemp(dir=disk); shutil.copytree(os.path.join(src,shape),d,dirs_exist_ok=True)
        rec((shape,'make'),run(['make','-j2','-s'],d)); shutil.rmtree(d)
        for name,path in order:
            d=tempfile.mkdtemp(dir=disk); shutil.copytree(os.path.join(src,shape),d,dirs_exist_ok=True)
            rec((shape,name),run([path,f'{shape}.dig'],d)); shutil.rmtree(d)
    for where in [disk,'/dev/shm']:
        for name,path in order:
            d=tempfile.mkdtemp(dir=where); shutil.copy(os.path.join(seq,'seq.dig'),d)
            rec(('echo10k@'+where,name),run([path,'seq.dig'],d)); later.append(d)
for d in later: shutil.rmtree(d)
shutil.rmtree(src)
print(f"load {open('/proc/loadavg').read().split()[:3]}")
for k,v in res.items():
    print(f"{k[0]:18} {k[1]:8} wall {statistics.median(x[0] for x in v):.3f} s  cpu {statistics.median(x[1] for x in v):.3f} s  (n={len(v)}; walls {' '.join(f'{x[0]:.3f}' for x in v)})")
